using System.Diagnostics;
using System.Net;
using Mudbase.Tests.Support;

namespace Mudbase.Tests.Unit;

/// <summary>
/// The per-attempt timeout on the system clock, whose sources are pooled and re-armed between attempts: a source
/// that fired or was cancelled must never come back, and a reused one must still fire.
/// </summary>
public sealed class AttemptTimeoutTests
{
    private static readonly Uri Fast = new("https://cloud.mudbase.dev/api/fast");
    private static readonly Uri Slow = new("https://cloud.mudbase.dev/api/slow");
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromMilliseconds(300);

    /// <summary>Answers /api/fast at once (counting any attempt that arrives with its token already cancelled) and hangs on /api/slow.</summary>
    private sealed class Transport
    {
        private int _arrivedCancelled;

        public int ArrivedCancelled => Volatile.Read(ref _arrivedCancelled);

        public StubHandler Handler => new(async (_, request, ct) =>
        {
            if (ct.IsCancellationRequested)
            {
                Interlocked.Increment(ref _arrivedCancelled);
            }

            if (request.RequestUri!.AbsolutePath == Slow.AbsolutePath)
            {
                await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            }

            return StubHandler.Answer(HttpStatusCode.OK, "{}");
        });
    }

    private static RetryHarness Harness(Transport transport) =>
        new(transport.Handler, TimeProvider.System, o =>
        {
            o.Timeout = AttemptTimeout;
            o.Retry.MaxRetries = 0;
        });

    private static async Task AssertTimesOutAsync(RetryHarness harness)
    {
        var watch = Stopwatch.StartNew();
        var ex = await Errors.ExpectAsync<MudbaseTransportException>(() => harness.SendAsync(HttpMethod.Get, Slow, cancellationToken: Wire.Ct).WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct));
        Assert.True(ex.IsTimeout);
        Assert.True(watch.Elapsed >= AttemptTimeout - TimeSpan.FromMilliseconds(50), $"timed out after {watch.Elapsed}, before the attempt's {AttemptTimeout}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    private static async Task AssertFastCallsSucceedAsync(RetryHarness harness, int calls, int concurrency)
    {
        var statuses = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            var ok = 0;
            for (var i = 0; i < calls / concurrency; i++)
            {
                using var response = await harness.SendAsync(HttpMethod.Get, Fast, cancellationToken: Wire.Ct);
                ok += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
            }

            return ok;
        }));
        Assert.Equal(calls, statuses.Sum());
    }

    [Fact]
    public async Task Reused_timeouts_still_fire_and_fired_or_cancelled_ones_are_never_reused()
    {
        var transport = new Transport();
        using var harness = Harness(transport);

        await AssertFastCallsSucceedAsync(harness, calls: 200, concurrency: 1);
        await AssertTimesOutAsync(harness);

        using (var cts = CancellationTokenSource.CreateLinkedTokenSource(Wire.Ct))
        {
            cts.CancelAfter(TimeSpan.FromMilliseconds(50));
            var ex = await Record.ExceptionAsync(() => harness.SendAsync(HttpMethod.Get, Slow, cancellationToken: cts.Token));
            Assert.IsAssignableFrom<OperationCanceledException>(ex);
        }

        await AssertFastCallsSucceedAsync(harness, calls: 640, concurrency: 64);
        await AssertTimesOutAsync(harness);
        await AssertFastCallsSucceedAsync(harness, calls: 200, concurrency: 1);

        Assert.Equal(0, transport.ArrivedCancelled);
    }

    [Fact]
    public async Task Timeouts_firing_among_fast_calls_never_cut_a_later_call_short()
    {
        var transport = new Transport();
        using var harness = Harness(transport);

        // Sources fire while others return to the pool; the fast callers keep going until every timeout has fired, then some more.
        var slow = Task.WhenAll(Enumerable.Range(0, 8).Select(_ => AssertTimesOutAsync(harness)));
        var fast = Enumerable.Range(0, 16).Select(async _ =>
        {
            var ok = 0;
            for (var after = 0; after < 20; after += slow.IsCompleted ? 1 : 0)
            {
                using var response = await harness.SendAsync(HttpMethod.Get, Fast, cancellationToken: Wire.Ct);
                ok += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
                await Task.Yield();
            }

            return ok;
        }).ToList();
        await slow;
        var succeeded = await Task.WhenAll(fast);

        Assert.All(succeeded, ok => Assert.True(ok >= 20, $"{ok} fast calls succeeded"));
        Assert.Equal(0, transport.ArrivedCancelled);
    }
}
