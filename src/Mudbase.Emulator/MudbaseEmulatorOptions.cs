namespace Mudbase.Emulator;

/// <summary>Settings of one <see cref="MudbaseEmulator"/> instance, read once when it starts.</summary>
public sealed class MudbaseEmulatorOptions
{
    /// <summary>The loopback port to listen on; 0 (the default) picks a free port.</summary>
    public int Port { get; set; }

    /// <summary>
    /// Whether the hosted service's per-IP rate limits apply (on by default, as on the hosted service).
    /// Turn them off for tests that make many auth calls from one emulator.
    /// </summary>
    public bool EnableRateLimits { get; set; } = true;

    /// <summary>Lifetime of issued access tokens; responses report it in whole seconds as <c>expiresIn</c>.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(24);

    /// <summary>Lifetime of issued refresh tokens.</summary>
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The clock behind token timestamps and rate-limit windows; replace it to test expiry without sleeping.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The lowest level the emulator logs at; warnings and errors only by default, to keep test output quiet.</summary>
    public LogLevel MinimumLogLevel { get; set; } = LogLevel.Warning;

    /// <summary>
    /// Faults to inject into <c>/api</c> requests, to test how a client copes with resets, proxy
    /// errors, throttling, slowness and malformed answers; <see langword="null"/> (the default) for
    /// none. Copied at start; <see cref="MudbaseEmulator.SetChaos"/> changes it later.
    /// </summary>
    public EmulatorChaosOptions? Chaos { get; set; }

    /// <summary>
    /// The largest file an upload may carry, in bytes: 52428800 (50 MiB) by default, the hosted service's usual plan
    /// limit. A larger file is refused with 413 <c>{"error":"File size exceeds limit of N bytes","maxFileUploadBytes":N}</c>
    /// (by a multipart upload, or by the confirm of a direct upload); a bucket's <c>settings.maxFileSize</c> can set a
    /// smaller one. Raise it to test large files: their bytes are kept on disk, in a temporary folder of the emulator
    /// deleted when it stops, never in memory.
    /// </summary>
    public long MaxFileUploadBytes { get; set; } = 52_428_800;

    /// <summary>
    /// How often the realtime server (Socket.IO at <c>/socket.io/</c>) pings each connection: 25 seconds by default, as
    /// the official Socket.IO server does. Sent to clients in the handshake's <c>pingInterval</c>; lower it to test a
    /// client's ping handling without waiting.
    /// </summary>
    public TimeSpan RealtimePingInterval { get; set; } = TimeSpan.FromSeconds(25);

    /// <summary>
    /// How long the realtime server waits for a pong after each ping before it drops the connection: 20 seconds by
    /// default, as the official Socket.IO server does. Sent to clients in the handshake's <c>pingTimeout</c>.
    /// </summary>
    public TimeSpan RealtimePingTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How many realtime frames (events, acks, pings) may wait for one slow connection: 1024 by default. A client that
    /// falls further behind is dropped, so that it never holds up the others; the emulator never waits for it. Lower it
    /// to test how a client copes with being dropped for being slow.
    /// </summary>
    public int RealtimeOutboundQueueCapacity { get; set; } = 1024;
}
