using System.Diagnostics;
using System.Net;
using Mudbase.Tests.Support;
using WireMock.Server;

namespace Mudbase.Tests.Contract;

/// <summary>The caller's cancellation stays an OperationCanceledException; the client's own timeout is a MudbaseTransportException.</summary>
public sealed class CancellationAndTimeoutTests : IDisposable
{
    private readonly WireMockServer _server = Wire.StartServer();

    public void Dispose() => _server.Dispose();

    [Theory]
    [InlineData("anonymous")]
    [InlineData("register")]
    public async Task A_token_cancelled_before_the_call_sends_nothing(string call)
    {
        _server.AnswerAll(Wire.Json(200, Bodies.AnonymousSession()));
        using var client = _server.Client();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        var ex = await Record.ExceptionAsync(() => call == "anonymous"
            ? client.Auth.CreateAnonymousAsync(cancellationToken: cts.Token)
            : client.Auth.RegisterAsync(Wire.NewRegisterRequest(), cts.Token));

        Assert.IsAssignableFrom<OperationCanceledException>(ex);
        Assert.Empty(_server.Requests());
    }

    [Fact]
    public async Task Cancelling_while_waiting_out_a_retry_after_returns_at_once()
    {
        var answers = _server.AnswerInOrder(Wire.AnonymousPath,
            () => Wire.Message(503, """{"error":"Service temporarily unavailable."}""", ("Retry-After", "8")),
            () => Wire.Message(200, Bodies.AnonymousSession()));
        // The manual clock is never advanced: the 8 s wait could only end through the cancellation.
        var clock = new ManualClock();
        using var client = Wire.Client(_server.BaseUrl(), new SocketsHttpHandler(), clock, o =>
        {
            o.Timeout = Timeout.InfiniteTimeSpan;
            o.Retry.MaxRetryAfter = TimeSpan.FromSeconds(10);
        });
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Wire.Ct);

        var call = client.Auth.CreateAnonymousAsync(cancellationToken: cts.Token);
        Assert.Equal(TimeSpan.FromSeconds(8), await clock.NextTimerAsync());
        var watch = Stopwatch.StartNew();
        await cts.CancelAsync();
        var ex = await Record.ExceptionAsync(() => call.WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct));

        Assert.True(ex is OperationCanceledException, $"expected OperationCanceledException, got {ex}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed} to return after cancellation");
        Assert.Equal(1, answers.Count);
        Assert.Single(_server.Requests());
    }

    [Fact]
    public async Task Cancelling_during_an_exponential_backoff_returns_at_once()
    {
        var answers = _server.AnswerInOrder("/api/things", () => Wire.Message(502));
        var clock = new ManualClock();
        using var harness = RetryHarness.OverSockets(out _, clock, o =>
        {
            o.Timeout = Timeout.InfiniteTimeSpan;
            o.Retry.BaseDelay = TimeSpan.FromSeconds(30);
            o.Retry.MaxDelay = TimeSpan.FromSeconds(30);
        });
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Wire.Ct);

        var call = harness.SendAsync(HttpMethod.Get, new Uri(_server.BaseUrl(), "/api/things"), cancellationToken: cts.Token);
        await clock.NextTimerAsync();
        var watch = Stopwatch.StartNew();
        await cts.CancelAsync();
        var ex = await Record.ExceptionAsync(() => call.WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct));

        Assert.True(ex is OperationCanceledException, $"expected OperationCanceledException, got {ex}");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.Equal(1, answers.Count);
    }

    [Fact]
    public async Task Cancelling_while_the_server_is_slow_gives_OperationCanceledException_not_a_timeout()
    {
        using var hanging = new HangingAnswer(_server, Wire.RegisterPath);
        using var client = _server.Client(o => o.Timeout = TimeSpan.FromSeconds(20));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Wire.Ct);

        var call = client.Auth.RegisterAsync(Wire.NewRegisterRequest(), cts.Token);
        await hanging.FirstArrived.WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct);
        var watch = Stopwatch.StartNew();
        await cts.CancelAsync();
        var ex = await Record.ExceptionAsync(() => call);

        Assert.IsAssignableFrom<OperationCanceledException>(ex);
        Assert.IsNotAssignableFrom<MudbaseException>(ex);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.Equal(1, hanging.Arrived);
    }

    [Fact]
    public async Task A_slow_server_past_Timeout_gives_a_transport_exception_marked_as_timeout()
    {
        using var hanging = new HangingAnswer(_server, Wire.AnonymousPath);
        using var client = _server.Client(o => o.Timeout = TimeSpan.FromMilliseconds(250));
        var watch = Stopwatch.StartNew();

        var ex = await Errors.ExpectAsync<MudbaseTransportException>(() => client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct));

        Assert.True(ex.IsTimeout);
        Assert.IsType<TimeoutException>(ex.InnerException);
        Assert.Null(ex.StatusCode);
        Assert.Contains("timed out", ex.Message, StringComparison.Ordinal);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
        Assert.Equal(1, await hanging.ArrivedAfterWaitingForAsync(1));
    }

    [Fact]
    public async Task A_refused_connection_is_a_transport_exception_that_is_not_a_timeout()
    {
        using var client = new MudbaseClient(Wire.Options(RawTcpServer.UrlWithNothingListening()));

        var ex = await Errors.ExpectAsync<MudbaseTransportException>(() => client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct));

        Assert.False(ex.IsTimeout);
        Assert.IsType<HttpRequestException>(ex.InnerException);
        Assert.Null(ex.StatusCode);
    }

    // ---- bodies that stop arriving: Timeout bounds every attempt, body included ----

    public static TheoryData<int, string> StalledBodies => new()
    {
        { 400, """{"error":"Validation fa""" },
        { 503, """{"error":"Service tempor""" },
        { 429, """{"error":"Too many req""" },
        { 200, """{"message":"Anonymous session created","token":"eyJ""" },
    };

    [Theory]
    [MemberData(nameof(StalledBodies))]
    public async Task A_body_that_stops_arriving_ends_the_call_near_Timeout(int status, string partialBody)
    {
        var head = $"HTTP/1.1 {status} {(HttpStatusCode)status}\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n";
        await using var raw = new RawTcpServer(RawBehaviour.WriteThenStall, head + partialBody);
        using var client = new MudbaseClient(Wire.Options(raw.Url, o => o.Timeout = TimeSpan.FromMilliseconds(200)));
        using var guard = CancellationTokenSource.CreateLinkedTokenSource(Wire.Ct);
        guard.CancelAfter(TimeSpan.FromSeconds(2));
        var watch = Stopwatch.StartNew();

        var ex = await Record.ExceptionAsync(() => client.Auth.CreateAnonymousAsync(cancellationToken: guard.Token));

        Assert.False(ex is OperationCanceledException, $"the call was still waiting for the body after {watch.Elapsed} although Timeout is 200 ms");
        Assert.IsAssignableFrom<MudbaseException>(ex);
        Errors.AssertNoRefitTypes(ex!);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1.5), $"took {watch.Elapsed}");
    }
}
