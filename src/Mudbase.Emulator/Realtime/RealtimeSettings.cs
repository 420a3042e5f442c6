namespace Mudbase.Emulator.Realtime;

/// <summary>The realtime server's settings, from <see cref="MudbaseEmulatorOptions"/>.</summary>
internal sealed record RealtimeSettings(TimeSpan PingInterval, TimeSpan PingTimeout)
{
    /// <summary>The largest message a client may send, in bytes (Node's <c>maxHttpBufferSize</c> default).</summary>
    public const int MaxPayload = 1_000_000;

    /// <summary>How many frames may wait for a slow client before it is dropped.</summary>
    public int OutboundQueueCapacity { get; init; } = 1024;

    public static RealtimeSettings From(MudbaseEmulatorOptions options)
    {
        Check(options.RealtimePingInterval, nameof(options.RealtimePingInterval));
        Check(options.RealtimePingTimeout, nameof(options.RealtimePingTimeout));
        return new RealtimeSettings(options.RealtimePingInterval, options.RealtimePingTimeout);

        // Whole milliseconds that fit the open packet's integers, as Node's timers take them.
        static void Check(TimeSpan value, string name)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.FromMilliseconds(1), name);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, TimeSpan.FromMilliseconds(int.MaxValue), name);
        }
    }
}
