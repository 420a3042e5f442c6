namespace Mudbase.Emulator.Realtime;

/// <summary>The realtime server's settings, from <see cref="MudbaseEmulatorOptions"/>.</summary>
/// <param name="PingInterval">How often each connection is pinged.</param>
/// <param name="PingTimeout">How long a pong may take before the connection is dropped.</param>
/// <param name="OutboundQueueCapacity">How many frames may wait for a slow client before it is dropped.</param>
internal sealed record RealtimeSettings(TimeSpan PingInterval, TimeSpan PingTimeout, int OutboundQueueCapacity)
{
    /// <summary>The largest message a client may send, in bytes (Node's <c>maxHttpBufferSize</c> default).</summary>
    public const int MaxPayload = 1_000_000;

    public static RealtimeSettings From(MudbaseEmulatorOptions options)
    {
        Check(options.RealtimePingInterval, nameof(options.RealtimePingInterval));
        Check(options.RealtimePingTimeout, nameof(options.RealtimePingTimeout));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.RealtimeOutboundQueueCapacity, nameof(options.RealtimeOutboundQueueCapacity));
        return new RealtimeSettings(options.RealtimePingInterval, options.RealtimePingTimeout, options.RealtimeOutboundQueueCapacity);

        // Whole milliseconds that fit the open packet's integers, as Node's timers take them.
        static void Check(TimeSpan value, string name)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.FromMilliseconds(1), name);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, TimeSpan.FromMilliseconds(int.MaxValue), name);
        }
    }
}
