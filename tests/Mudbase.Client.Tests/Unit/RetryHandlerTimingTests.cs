using System.Net;
using Mudbase.Tests.Support;

namespace Mudbase.Tests.Unit;

/// <summary>
/// <c>MudbaseRetryHandler</c> over a stub handler and a manual clock: the exact waits it arms, and what happens
/// before and after each, with no sleeping.
/// </summary>
public sealed class RetryHandlerTimingTests
{
    private static readonly Uri Url = new("https://cloud.mudbase.dev/api/things/1");
    private readonly ManualClock _clock = new();

    private RetryHarness Harness(StubHandler stub, Action<MudbaseClientOptions>? configure = null) =>
        new(stub, _clock, o =>
        {
            o.Timeout = Timeout.InfiniteTimeSpan;
            configure?.Invoke(o);
        });

    [Theory]
    [InlineData("GET", 503)]
    [InlineData("GET", 429)]
    [InlineData("POST", 503)]
    [InlineData("POST", 429)]
    public async Task A_retry_after_of_5_seconds_is_waited_exactly(string verb, int status)
    {
        var stub = StubHandler.InOrder(
            () => StubHandler.Answer((HttpStatusCode)status, """{"error":"busy"}""", ("Retry-After", "5")),
            () => StubHandler.Answer(HttpStatusCode.OK, "{}"));
        using var harness = Harness(stub);

        var call = harness.SendAsync(new HttpMethod(verb), Url, verb == "POST" ? "{}" : null, Wire.Ct);

        Assert.Equal(TimeSpan.FromSeconds(5), await _clock.NextTimerAsync());
        _clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.Equal(1, stub.Attempts);
        Assert.False(call.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        using var response = await call.WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, stub.Attempts);
    }

    [Fact]
    public async Task Exponential_backoff_grows_from_BaseDelay()
    {
        var baseDelay = TimeSpan.FromMilliseconds(100);
        var stub = StubHandler.InOrder(() => StubHandler.Answer(HttpStatusCode.BadGateway));
        using var harness = Harness(stub, o =>
        {
            o.Retry.MaxRetries = 4;
            o.Retry.BaseDelay = baseDelay;
            o.Retry.MaxDelay = TimeSpan.FromHours(1);
        });

        var call = harness.SendAsync(HttpMethod.Get, Url, cancellationToken: Wire.Ct);
        var delays = new List<TimeSpan>();
        for (var retry = 0; retry < 4; retry++)
        {
            var delay = await _clock.NextTimerAsync();
            Assert.Equal(retry + 1, stub.Attempts);
            delays.Add(delay);
            _clock.Advance(delay);
        }

        using var response = await call.WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal(5, stub.Attempts);
        Assert.All(delays, d => Assert.True(d >= TimeSpan.Zero, $"negative delay {d}"));
        // With jitter no single wait is fixed, but the later waits together are longer than the earlier ones,
        // and four waits add up to more than four BaseDelays (what a constant backoff would give).
        Assert.True(delays[2] + delays[3] > delays[0] + delays[1], $"delays did not grow: {string.Join(", ", delays)}");
        Assert.True(delays.Sum(d => d.Ticks) > 4 * baseDelay.Ticks, $"delays too short for an exponential backoff: {string.Join(", ", delays)}");
    }

    [Fact]
    public async Task Exponential_backoff_is_capped_at_MaxDelay()
    {
        var maxDelay = TimeSpan.FromSeconds(3);
        var stub = StubHandler.InOrder(() => StubHandler.Answer(HttpStatusCode.ServiceUnavailable));
        using var harness = Harness(stub, o =>
        {
            o.Retry.MaxRetries = 10;
            o.Retry.BaseDelay = TimeSpan.FromSeconds(1);
            o.Retry.MaxDelay = maxDelay;
        });

        var call = harness.SendAsync(HttpMethod.Get, Url, cancellationToken: Wire.Ct);
        var delays = await _clock.DriveAsync(call);

        using var response = await call;
        Assert.Equal(11, stub.Attempts);
        Assert.Equal(10, delays.Count);
        Assert.All(delays, d => Assert.True(d <= maxDelay, $"a wait of {d} is over MaxDelay"));
        // Uncapped, the later waits of a 1 s base would run to minutes: they are held at the cap.
        Assert.Contains(maxDelay, delays);
    }

    [Fact]
    public async Task A_retry_after_longer_than_MaxDelay_but_within_MaxRetryAfter_is_waited_in_full()
    {
        var stub = StubHandler.InOrder(
            () => StubHandler.Answer(HttpStatusCode.TooManyRequests, "{}", ("Retry-After", "8")),
            () => StubHandler.Answer(HttpStatusCode.OK, "{}"));
        using var harness = Harness(stub, o =>
        {
            o.Retry.MaxDelay = TimeSpan.FromSeconds(2);
            o.Retry.BaseDelay = TimeSpan.FromSeconds(1);
            o.Retry.MaxRetryAfter = TimeSpan.FromSeconds(10);
        });

        var call = harness.SendAsync(HttpMethod.Get, Url, cancellationToken: Wire.Ct);

        Assert.Equal(TimeSpan.FromSeconds(8), await _clock.NextTimerAsync());
        _clock.Advance(TimeSpan.FromSeconds(8));
        using var response = await call.WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct);
        Assert.Equal(2, stub.Attempts);
    }

    [Fact]
    public async Task A_retry_after_over_MaxRetryAfter_returns_the_answer_without_arming_any_wait()
    {
        var stub = StubHandler.InOrder(() => StubHandler.Answer(HttpStatusCode.TooManyRequests, """{"error":"slow"}""", ("Retry-After", "11")));
        using var harness = Harness(stub, o => o.Retry.MaxRetryAfter = TimeSpan.FromSeconds(10));

        using var response = await harness.SendAsync(HttpMethod.Get, Url, cancellationToken: Wire.Ct).WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(1, stub.Attempts);
        Assert.Empty(_clock.ArmedSoFar);
    }

    [Fact]
    public async Task Cancelling_during_a_backoff_ends_the_call_without_the_clock_moving()
    {
        var stub = StubHandler.InOrder(() => StubHandler.Answer(HttpStatusCode.ServiceUnavailable));
        using var harness = Harness(stub, o =>
        {
            o.Retry.BaseDelay = TimeSpan.FromHours(1);
            o.Retry.MaxDelay = TimeSpan.FromHours(1);
        });
        using var cts = new CancellationTokenSource();

        var call = harness.SendAsync(HttpMethod.Get, Url, cancellationToken: cts.Token);
        await _clock.NextTimerAsync();
        await cts.CancelAsync();

        var ex = await Record.ExceptionAsync(() => call.WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct));
        Assert.IsAssignableFrom<OperationCanceledException>(ex);
        Assert.Equal(1, stub.Attempts);
        Assert.Equal(ManualClock.Start, _clock.GetUtcNow());
    }

    [Fact]
    public async Task A_cancellation_that_arrives_together_with_a_retryable_answer_ends_the_call_as_cancelled()
    {
        using var cts = new CancellationTokenSource();
        var stub = new StubHandler((_, _, _) =>
        {
            // The caller gives up just as the 503 comes back, before the handler decides to retry.
            cts.Cancel();
            return Task.FromResult(StubHandler.Answer(HttpStatusCode.ServiceUnavailable, """{"error":"busy"}"""));
        });
        using var harness = Harness(stub);

        var ex = await Record.ExceptionAsync(() => harness.SendAsync(HttpMethod.Get, Url, cancellationToken: cts.Token).WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct));

        Assert.True(ex is OperationCanceledException, $"expected OperationCanceledException, got {(ex is null ? "the 503 answer" : ex.ToString())}");
        Assert.Equal(1, stub.Attempts);
    }

    [Fact]
    public async Task An_attempt_that_outlives_Timeout_is_abandoned_and_an_idempotent_request_is_retried()
    {
        var stub = StubHandler.NeverAnswers();
        using var harness = Harness(stub, o =>
        {
            o.Timeout = TimeSpan.FromSeconds(2);
            o.Retry.MaxRetries = 2;
        });

        var call = harness.SendAsync(HttpMethod.Get, Url, cancellationToken: Wire.Ct);
        await _clock.DriveAsync(call);

        var ex = await Errors.ExpectAsync<MudbaseTransportException>(() => call);
        Assert.True(ex.IsTimeout);
        Assert.Equal(3, stub.Attempts);
        Assert.Equal(3, _clock.ArmedSoFar.Count(d => d == TimeSpan.FromSeconds(2)));
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PATCH")]
    public async Task A_write_that_outlives_Timeout_is_not_sent_again(string verb)
    {
        var stub = StubHandler.NeverAnswers();
        using var harness = Harness(stub, o => o.Timeout = TimeSpan.FromSeconds(2));

        var call = harness.SendAsync(new HttpMethod(verb), Url, "{}", Wire.Ct);
        Assert.Equal(TimeSpan.FromSeconds(2), await _clock.NextTimerAsync());
        _clock.Advance(TimeSpan.FromSeconds(2));

        var ex = await Errors.ExpectAsync<MudbaseTransportException>(() => call.WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct));
        Assert.True(ex.IsTimeout);
        Assert.Contains("not re-sent", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, stub.Attempts);
    }

    [Theory]
    [InlineData("GET", HttpRequestError.ConnectionError, 3)]
    [InlineData("GET", HttpRequestError.ResponseEnded, 3)]
    [InlineData("GET", HttpRequestError.Unknown, 3)]
    [InlineData("POST", HttpRequestError.ConnectionError, 3)]
    [InlineData("POST", HttpRequestError.NameResolutionError, 3)]
    [InlineData("POST", HttpRequestError.ResponseEnded, 1)]
    [InlineData("POST", HttpRequestError.Unknown, 1)]
    public async Task A_connection_failure_is_retried_for_reads_and_for_writes_only_when_nothing_was_sent(string verb, HttpRequestError error, int expectedAttempts)
    {
        var stub = new StubHandler((_, _, _) => throw new HttpRequestException(error, $"failure: {error}"));
        using var harness = new RetryHarness(stub, TimeProvider.System, o => o.Timeout = Timeout.InfiniteTimeSpan);

        var ex = await Errors.ExpectAsync<MudbaseTransportException>(() => harness.SendAsync(new HttpMethod(verb), Url, verb == "POST" ? "{}" : null, Wire.Ct));

        Assert.False(ex.IsTimeout);
        Assert.Equal(error, Assert.IsType<HttpRequestException>(ex.InnerException).HttpRequestError);
        Assert.Equal(expectedAttempts, stub.Attempts);
    }

    [Fact]
    public async Task Every_retried_attempt_carries_the_same_body()
    {
        var stub = StubHandler.InOrder(
            () => StubHandler.Answer(HttpStatusCode.ServiceUnavailable, "{}", ("Retry-After", "0")),
            () => StubHandler.Answer(HttpStatusCode.TooManyRequests, """{"retryAfter":0}"""),
            () => StubHandler.Answer(HttpStatusCode.Created, "{}"));
        using var harness = new RetryHarness(stub, TimeProvider.System);

        using var response = await harness.SendAsync(HttpMethod.Post, Url, """{"email":"a@b.dev"}""", Wire.Ct);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal(3, stub.Seen.Count);
        Assert.All(stub.Seen, s => Assert.Equal("""{"email":"a@b.dev"}""", s.Body));
    }

    [Fact]
    public async Task The_last_rate_limited_answer_comes_back_with_its_body_still_readable()
    {
        const string body = """{"error":"Too many requests","retryAfter":0,"requestId":"r-9"}""";
        var stub = StubHandler.InOrder(() => StubHandler.Answer(HttpStatusCode.TooManyRequests, body));
        using var harness = new RetryHarness(stub, TimeProvider.System, o => o.Retry.MaxRetries = 1);

        using var response = await harness.SendAsync(HttpMethod.Get, Url, cancellationToken: Wire.Ct);

        Assert.Equal(2, stub.Attempts);
        Assert.Equal(body, await response.Content.ReadAsStringAsync(Wire.Ct));
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
    }
}
