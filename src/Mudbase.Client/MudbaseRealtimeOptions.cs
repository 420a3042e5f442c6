namespace Mudbase;

/// <summary>How the realtime connection reconnects (<see cref="MudbaseClientOptions.Realtime"/>).</summary>
public sealed class MudbaseRealtimeOptions
{
    /// <summary>The longest first delay before reconnecting (default 1 second); each failed attempt doubles it, with jitter.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The cap of the delay between attempts (default 30 seconds).</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How many attempts in a row may fail before the watches end with the last error; null (the default) tries forever.
    /// </summary>
    public int? MaxReconnectAttempts { get; set; }

    /// <inheritdoc />
    public override string ToString() =>
        $"MudbaseRealtimeOptions {{ ReconnectDelay = {ReconnectDelay}, MaxReconnectDelay = {MaxReconnectDelay}, MaxReconnectAttempts = {MaxReconnectAttempts?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unlimited"} }}";

    internal MudbaseRealtimeOptions Clone() => (MudbaseRealtimeOptions)MemberwiseClone();
}
