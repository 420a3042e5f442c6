namespace Mudbase.Emulator;

/// <summary>How a function made by <see cref="MudbaseEmulator.CreateFunction"/> behaves beyond its handler. Read once, when it is made.</summary>
public sealed class EmulatorFunctionOptions
{
    /// <summary>The function's description.</summary>
    public string? Description { get; set; }

    /// <summary>How long each run stays <c>queued</c> before it starts (default none).</summary>
    public TimeSpan QueueDelay { get; set; }

    /// <summary>How long each run stays <c>running</c> before the handler is called (default none): a slow function.</summary>
    public TimeSpan Delay { get; set; }

    /// <summary>
    /// The function's time limit (default 30 seconds): a run whose <see cref="Delay"/> and handler take longer ends with
    /// status <c>timeout</c>, and the handler's token is cancelled.
    /// </summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether it can be run (default true); starting an inactive function is a 404, as on the hosted service.</summary>
    public bool IsActive { get; set; } = true;

    /// <summary>Runs allowed per minute (default 60, the hosted default); more are refused with 429. Null for no limit.</summary>
    public int? MaxExecutionsPerMinute { get; set; } = 60;

    /// <summary>The largest payload accepted, in bytes of JSON (default 1 MiB); a larger one is refused with 400.</summary>
    public int MaxPayloadBytes { get; set; } = 1024 * 1024;
}
