using Microsoft.Extensions.Time.Testing;
using Mudbase.Realtime.Protocol;

namespace Mudbase.Tests.Unit.Realtime;

/// <summary>The reconnect delays: 1 s base doubling to a 30 s cap, jittered within [ceiling/2, ceiling], reset after a connect.</summary>
public sealed class ReconnectBackoffTests
{
    private static double[] Seconds(ReconnectBackoff backoff, int count) =>
        Enumerable.Range(0, count).Select(_ => backoff.NextDelay().TotalSeconds).ToArray();

    [Fact]
    public void Without_jitter_at_its_top_the_ceilings_double_from_1_s_to_the_30_s_cap()
    {
        var backoff = new ReconnectBackoff(random: () => 0.9999999999);

        Assert.Equal([1, 2, 4, 8, 16, 30, 30, 30], Seconds(backoff, 8).Select(s => Math.Round(s, 3)));
    }

    [Fact]
    public void Jitter_at_its_bottom_halves_every_delay()
    {
        var backoff = new ReconnectBackoff(random: () => 0);

        Assert.Equal([0.5, 1, 2, 4, 8, 15, 15], Seconds(backoff, 7));
    }

    [Fact]
    public void Jitter_spreads_delays_within_half_and_all_of_the_ceiling()
    {
        var values = new Queue<double>([0.5, 0.25, 0.75]);
        var backoff = new ReconnectBackoff(random: values.Dequeue);

        Assert.Equal([0.75, 1.25, 3.5], Seconds(backoff, 3));
    }

    [Fact]
    public void Reset_after_a_connect_starts_again_from_the_base()
    {
        var backoff = new ReconnectBackoff(random: () => 0);
        Seconds(backoff, 10);
        Assert.Equal(10, backoff.Attempt);

        backoff.Reset();

        Assert.Equal(0, backoff.Attempt);
        Assert.Equal([0.5, 1], Seconds(backoff, 2));
    }

    [Fact]
    public void Thousands_of_attempts_stay_at_the_cap_without_overflowing()
    {
        var backoff = new ReconnectBackoff(random: () => 0.9999999999);
        Seconds(backoff, 5000);

        Assert.Equal(30, Math.Round(backoff.NextDelay().TotalSeconds, 3));
    }

    [Fact]
    public void Real_randomness_stays_within_the_bounds()
    {
        var backoff = new ReconnectBackoff();
        for (var attempt = 0; attempt < 12; attempt++)
        {
            var ceiling = backoff.NextCeiling();
            var delay = backoff.NextDelay();
            Assert.InRange(delay, ceiling / 2, ceiling);
            Assert.True(ceiling <= TimeSpan.FromSeconds(30));
        }
    }

    [Fact]
    public async Task The_delay_is_waited_on_the_time_providers_clock()
    {
        var clock = new FakeTimeProvider();
        var backoff = new ReconnectBackoff(random: () => 0);

        var first = backoff.DelayAsync(clock, CancellationToken.None); // the 1 s ceiling, halved
        clock.Advance(TimeSpan.FromMilliseconds(499));
        Assert.False(first.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeSpan.FromSeconds(0.5), await first.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));

        var second = backoff.DelayAsync(clock, CancellationToken.None); // the 2 s ceiling, halved
        clock.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(second.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(TimeSpan.FromSeconds(1), await second.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken));
    }

    [Fact]
    public void A_cap_below_the_base_is_refused()
    {
        Assert.Equal("maxDelay", Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1))).ParamName);
        Assert.Equal("baseDelay", Assert.Throws<ArgumentOutOfRangeException>(() => new ReconnectBackoff(TimeSpan.Zero)).ParamName);
    }
}
