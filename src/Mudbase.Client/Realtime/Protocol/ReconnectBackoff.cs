namespace Mudbase.Realtime.Protocol;

/// <summary>
/// The delay before each reconnect attempt: exponential (base·2ⁿ, capped) with jitter, so that clients cut off by one
/// server restart do not come back in lockstep (trap 8 of the research note). <see cref="Reset"/> after a successful
/// <c>40{sid}</c>, not after the WebSocket opens.
/// </summary>
/// <remarks>
/// "Equal jitter": attempt n waits between half and all of min(cap, base·2ⁿ), so a delay never exceeds the cap and
/// clients at the cap stay spread out. Not thread-safe: one reconnect loop owns it.
/// </remarks>
internal sealed class ReconnectBackoff
{
    private readonly Func<double> _random;
    private int _attempt;

    /// <param name="baseDelay">The ceiling of the first delay (1 s by default).</param>
    /// <param name="maxDelay">The cap of every delay (30 s by default).</param>
    /// <param name="random">A uniform number in [0, 1) per delay (tests give a fixed sequence).</param>
    public ReconnectBackoff(TimeSpan? baseDelay = null, TimeSpan? maxDelay = null, Func<double>? random = null)
    {
        BaseDelay = baseDelay ?? TimeSpan.FromSeconds(1);
        MaxDelay = maxDelay ?? TimeSpan.FromSeconds(30);
        if (BaseDelay <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(baseDelay), "The base delay must be positive.");
        }

        if (MaxDelay < BaseDelay)
        {
            throw new ArgumentOutOfRangeException(nameof(maxDelay), "The cap must not be below the base delay.");
        }

        _random = random ?? SharedRandom;
    }

    public TimeSpan BaseDelay { get; }

    public TimeSpan MaxDelay { get; }

    /// <summary>How many delays were handed out since the last <see cref="Reset"/>.</summary>
    public int Attempt => _attempt;

    /// <summary>The ceiling of the next delay: min(cap, base·2ⁿ).</summary>
    public TimeSpan NextCeiling()
    {
        // 2^30 s is past any cap; stopping the doubling there keeps the arithmetic from overflowing.
        var factor = Math.Pow(2, Math.Min(_attempt, 30));
        var ticks = Math.Min(MaxDelay.Ticks, BaseDelay.Ticks * factor);
        return TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The next delay, in [ceiling/2, ceiling]; moves to the next attempt.</summary>
    public TimeSpan NextDelay()
    {
        var ceiling = NextCeiling();
        _attempt++;
        var r = _random();
        r = r < 0 ? 0 : r >= 1 ? 1 : r;
        return TimeSpan.FromTicks(ceiling.Ticks / 2 + (long)(ceiling.Ticks / 2 * r));
    }

    /// <summary>Waits the next delay on <paramref name="timeProvider"/>'s clock; returns the delay waited.</summary>
    public async Task<TimeSpan> DelayAsync(TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var delay = NextDelay();
        await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
        return delay;
    }

    /// <summary>After a successful connect: the next delay is the first one again.</summary>
    public void Reset() => _attempt = 0;

#if NET6_0_OR_GREATER
    private static double SharedRandom() => Random.Shared.NextDouble();
#else
    [ThreadStatic]
    private static Random? t_random;

    private static double SharedRandom() => (t_random ??= new Random(Guid.NewGuid().GetHashCode())).NextDouble();
#endif
}
