namespace Mudbase;

/// <summary>
/// Settings of a <see cref="MudbaseClient"/>. The client validates and copies them when it is built:
/// changing an options object afterwards has no effect on clients already made from it.
/// </summary>
public sealed class MudbaseClientOptions
{
    internal static readonly Uri DefaultBaseUrl = new("https://cloud.mudbase.dev/");

    /// <summary>The server to talk to. Defaults to <c>https://cloud.mudbase.dev</c>.</summary>
    public Uri BaseUrl { get; set; } = DefaultBaseUrl;

    /// <summary>The project used when a request names none.</summary>
    public string? ProjectId { get; set; }

    /// <summary>An API key, sent as the <c>X-API-Key</c> header on every request. Never logged or shown.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How long one attempt may take before it is abandoned (default 30 seconds).
    /// <see cref="System.Threading.Timeout.InfiniteTimeSpan"/> turns the per-attempt timeout off.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>When and how failed requests are re-sent.</summary>
    public MudbaseRetryOptions Retry { get; set; } = new();

    /// <summary>
    /// Where the client keeps its session between runs. Null (the default) keeps it in memory only; use
    /// <see cref="Auth.FileSessionStore"/> in console and desktop apps, or your own store. The store is shared, not copied.
    /// </summary>
    public Auth.IMudbaseSessionStore? SessionStore { get; set; }

    /// <summary>
    /// Where the SDK logs (requests at Debug, retries and refreshes at Information, failures at Warning; never a secret
    /// or a body). Null logs nothing; with <c>AddMudbaseClient</c> the container's logger factory is used.
    /// </summary>
    public Microsoft.Extensions.Logging.ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>An access token that expires within this time is refreshed before a call uses it (default 60 seconds).</summary>
    public TimeSpan RefreshSkew { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Allows plain <c>http://</c> to a host that is not loopback. Off by default, so that passwords
    /// and tokens never cross a network in clear by accident.
    /// </summary>
    public bool AllowInsecureHttp { get; set; }

    /// <summary>How the realtime connection reconnects after it is lost.</summary>
    public MudbaseRealtimeOptions Realtime { get; set; } = new();

    /// <summary>Opens realtime WebSockets: tests give an in-memory pair; null opens a <see cref="System.Net.WebSockets.ClientWebSocket"/>.</summary>
    internal Func<Uri, CancellationToken, Task<System.Net.WebSockets.WebSocket>>? RealtimeSocketFactory { get; set; }

    /// <inheritdoc />
    public override string ToString() =>
        $"MudbaseClientOptions {{ BaseUrl = {BaseUrl}, ProjectId = {ProjectId}, ApiKey = {(ApiKey is null ? "null" : "***")}, Timeout = {Timeout}, RefreshSkew = {RefreshSkew}, AllowInsecureHttp = {AllowInsecureHttp} }}";

    /// <summary>A deep copy, so that a client never changes under its users.</summary>
    internal MudbaseClientOptions Clone()
    {
        // Field by field (every property is a plain auto-property): at start-up one runtime call, where setting each
        // property of a new instance compiled nine setters and built a default MudbaseRetryOptions only to replace it.
        var copy = (MudbaseClientOptions)MemberwiseClone();
        copy.Retry = Retry?.Clone()!;
        copy.Realtime = Realtime?.Clone()!;
        return copy;
    }
}
