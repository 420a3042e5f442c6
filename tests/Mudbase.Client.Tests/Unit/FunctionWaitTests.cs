using System.Collections.Concurrent;
using System.Net;
using Mudbase.Functions;
using Mudbase.Tests.Support;
using static Mudbase.Tests.Support.FunctionFixture;

namespace Mudbase.Tests.Unit;

/// <summary>
/// The wait loop of client.Functions over a stub server and a manual clock: the intervals it arms, its timeout, its
/// cancellation, a transient failure while polling, and the synchronous answer. Nothing sleeps.
/// </summary>
public sealed class FunctionWaitTests
{
    private static readonly Uri BaseUrl = new("https://cloud.mudbase.dev/");
    private readonly ManualClock _clock = new();
    private readonly ConcurrentQueue<string> _paths = new();

    private static FunctionExecution Queued => new(FunctionId, ExecutionId, FunctionExecutionStatus.Queued);

    private static Func<HttpResponseMessage> Poll(string status) => () => StubHandler.Answer(HttpStatusCode.OK, Execution(status));

    /// <summary>Answers the start with a 202 and each poll with the next answer (the last repeats).</summary>
    private StubHandler Server(string start, params Func<HttpResponseMessage>[] polls)
    {
        var next = 0;
        return new StubHandler((_, request, _) =>
        {
            _paths.Enqueue(request.RequestUri!.AbsolutePath);
            return Task.FromResult(request.Method == HttpMethod.Post
                ? StubHandler.Answer(start.Contains("executionId", StringComparison.Ordinal) ? HttpStatusCode.Accepted : HttpStatusCode.OK, start)
                : polls[Math.Min(Interlocked.Increment(ref next), polls.Length) - 1]());
        });
    }

    private MudbaseClient Client(StubHandler stub) =>
        // No per-attempt timeout: the only timers on the clock are the wait's own (and a retry's backoff).
        Wire.Client(BaseUrl, stub, _clock, o => o.Timeout = Timeout.InfiniteTimeSpan);

    private static int Polls(StubHandler stub) => stub.Seen.Count(seen => seen.Method == HttpMethod.Get);

    [Fact]
    public async Task Polls_wait_half_a_second_then_twice_as_long_each_time_up_to_five_seconds()
    {
        var stub = Server(FunctionFixture.Queued, Poll("queued"), Poll("provisioning"), Poll("running"), Poll("running"), Poll("running"), Poll("running"), Poll("success"));
        using var client = Client(stub);

        var wait = client.Functions.WaitAsync(Queued, cancellationToken: Wire.Ct);

        double[] expected = [0.5, 1, 2, 4, 5, 5, 5];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(TimeSpan.FromSeconds(expected[i]), await _clock.NextTimerAsync());
            Assert.Equal(i, Polls(stub)); // no poll before its wait is over
            _clock.Advance(TimeSpan.FromSeconds(expected[i]));
        }

        var done = await wait.WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct);
        Assert.Equal(FunctionExecutionStatus.Succeeded, done.Status);
        Assert.Equal(7, Polls(stub));
        Assert.All(_paths, path => Assert.Equal(ExecutionPath, path));
        Assert.False(_clock.HasPendingTimer);
    }

    [Fact]
    public async Task Custom_intervals_are_followed()
    {
        var stub = Server(FunctionFixture.Queued, Poll("running"), Poll("running"), Poll("running"), Poll("success"));
        using var client = Client(stub);
        var options = new FunctionWaitOptions { PollInterval = TimeSpan.FromMilliseconds(100), MaxPollInterval = TimeSpan.FromMilliseconds(300) };

        var advanced = await _clock.DriveAsync(client.Functions.WaitAsync(Queued, options, Wire.Ct));

        Assert.Equal([TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(300)], advanced);
    }

    [Fact]
    public async Task The_waits_own_timeout_throws_with_the_last_execution_seen_after_a_last_poll_at_the_deadline()
    {
        var stub = Server(FunctionFixture.Queued, Poll("queued"), Poll("running"));
        using var client = Client(stub);
        var options = new FunctionWaitOptions { PollInterval = TimeSpan.FromSeconds(1), Timeout = TimeSpan.FromSeconds(2.5) };

        var wait = client.Functions.WaitAsync(Queued, options, Wire.Ct);
        var advanced = await _clock.DriveAsync(wait);

        var error = await Assert.ThrowsAsync<MudbaseFunctionTimeoutException>(() => wait);
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1.5)], advanced); // the second wait is cut to end at the deadline
        Assert.Equal(2, Polls(stub));
        Assert.Equal((FunctionExecutionStatus.Running, ExecutionId, FunctionId), (error.Execution.Status, error.Execution.ExecutionId, error.Execution.FunctionId));
        Assert.Contains(ExecutionId, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_stops_the_wait_at_once_without_another_poll()
    {
        var stub = Server(FunctionFixture.Queued, Poll("running"));
        using var client = Client(stub);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Wire.Ct);

        var wait = client.Functions.WaitAsync(Queued, cancellationToken: cts.Token);
        Assert.Equal(TimeSpan.FromSeconds(0.5), await _clock.NextTimerAsync());
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => wait.WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct));
        Assert.Equal(0, Polls(stub));
    }

    [Fact]
    public async Task A_poll_that_fails_transiently_is_retried_and_the_wait_goes_on()
    {
        var stub = Server(FunctionFixture.Queued,
            () => StubHandler.Answer(HttpStatusCode.BadGateway, "<html>Bad Gateway</html>"),
            Poll("running"),
            Poll("success"));
        using var client = Client(stub);

        var wait = client.Functions.WaitAsync(Queued, cancellationToken: Wire.Ct);
        var advanced = await _clock.DriveAsync(wait);

        Assert.Equal(FunctionExecutionStatus.Succeeded, (await wait).Status);
        Assert.Equal(3, Polls(stub)); // the 502, its retry, and the next poll
        Assert.Equal(TimeSpan.FromSeconds(0.5), advanced[0]);
        Assert.Equal(TimeSpan.FromSeconds(1), advanced[^1]); // after the retried poll, the next wait as usual
    }

    [Fact]
    public async Task A_poll_that_fails_otherwise_ends_the_wait_with_its_error()
    {
        var stub = Server(FunctionFixture.Queued, () => StubHandler.Answer(HttpStatusCode.NotFound, """{"error":"Execution not found"}"""));
        using var client = Client(stub);

        var wait = client.Functions.WaitAsync(Queued, cancellationToken: Wire.Ct);
        await _clock.DriveAsync(wait);

        var error = await Assert.ThrowsAsync<MudbaseNotFoundException>(() => wait);
        Assert.Equal("HTTP 404: Execution not found", error.Message);
        Assert.Equal(1, Polls(stub));
    }

    [Fact]
    public async Task Invoke_of_a_synchronous_answer_returns_at_once_without_waiting_or_polling()
    {
        var stub = Server("""{"success":true,"data":{"success":true,"result":{"total":7,"currency":"EUR"},"error":null,"executionTime":87}}""", Poll("running"));
        using var client = Client(stub);

        var quote = await client.Functions.InvokeAsync(FunctionId, null, QuoteJsonContext.Default.Quote, cancellationToken: Wire.Ct)
            .WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct);

        Assert.Equal(new Quote(7, "EUR"), quote);
        Assert.Empty(_clock.ArmedSoFar);
        Assert.Equal(0, Polls(stub));
    }

    [Fact]
    public async Task Invoke_starts_once_then_waits_on_the_clock()
    {
        var stub = Server(FunctionFixture.Queued, Poll("running"), Poll("success"));
        using var client = Client(stub);

        var invoke = client.Functions.InvokeAsync(FunctionId, cancellationToken: Wire.Ct);
        var advanced = await _clock.DriveAsync(invoke);

        Assert.Equal(FunctionExecutionStatus.Succeeded, (await invoke).Status);
        Assert.Equal([TimeSpan.FromSeconds(0.5), TimeSpan.FromSeconds(1)], advanced);
        Assert.Equal([HttpMethod.Post, HttpMethod.Get, HttpMethod.Get], stub.Seen.Select(seen => seen.Method));
    }
}
