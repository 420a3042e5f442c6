using System.Diagnostics;
using System.Globalization;
using System.Net;
using Mudbase.Tests.Support;
using WireMock.Server;

namespace Mudbase.Tests.Contract;

/// <summary>
/// Every form of "come back later" a 429 or 503 can carry, on real sockets with a manual clock: the test sees
/// the exact wait the client arms, advances the clock by it, and counts the requests on the wire.
/// </summary>
public sealed class RetryAfterTests : IDisposable
{
    private readonly WireMockServer _server = Wire.StartServer();
    private readonly ManualClock _clock = new();

    public void Dispose() => _server.Dispose();

    private MudbaseClient ClientOnManualClock(Action<MudbaseClientOptions>? configure = null) =>
        Wire.Client(_server.BaseUrl(), new SocketsHttpHandler(), _clock, o =>
        {
            // No per-attempt timeout timers: the only timers armed are the waits under test.
            o.Timeout = Timeout.InfiniteTimeSpan;
            configure?.Invoke(o);
        });

    private static string HttpDate(DateTimeOffset when) => when.ToString("R", CultureInfo.InvariantCulture);

    public static TheoryData<string, int, string, string, int> ExplicitWaits => new()
    {
        // form, status, header name, header value or body, expected wait in seconds
        { "Retry-After header in seconds", 429, "Retry-After", "3", 3 },
        { "Retry-After header in seconds", 503, "Retry-After", "3", 3 },
        { "Retry-After header as an HTTP date", 429, "Retry-After", HttpDate(ManualClock.Start.AddSeconds(4)), 4 },
        { "Retry-After header as an HTTP date", 503, "Retry-After", HttpDate(ManualClock.Start.AddSeconds(4)), 4 },
        { "body retryAfter", 429, "", """{"error":"Too many requests, please try again later.","retryAfter":2}""", 2 },
        { "body retryAfter", 503, "", """{"error":"Service temporarily unavailable.","retryAfter":2}""", 2 },
        { "body retryAfter as a string", 429, "", """{"error":"Too many requests","retryAfter":"5"}""", 5 },
        { "Retry-After equal to MaxRetryAfter", 429, "Retry-After", "10", 10 },
    };

    [Theory]
    [MemberData(nameof(ExplicitWaits))]
    public async Task A_post_told_when_to_come_back_waits_exactly_that_long_then_is_sent_again(string form, int status, string header, string value, int seconds)
    {
        var answers = _server.AnswerInOrder(Wire.AnonymousPath,
            () => header.Length > 0
                ? Wire.Message(status, """{"error":"busy"}""", (header, value))
                : Wire.Message(status, value),
            () => Wire.Message(200, Bodies.AnonymousSession()));
        using var client = ClientOnManualClock();

        var call = client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);

        Assert.Equal(TimeSpan.FromSeconds(seconds), await _clock.NextTimerAsync());
        _clock.Advance(TimeSpan.FromSeconds(seconds) - TimeSpan.FromMilliseconds(100));
        Assert.False(call.IsCompleted, form);
        Assert.Equal(1, answers.Count);
        _clock.Advance(TimeSpan.FromMilliseconds(100));
        var session = await call.WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct);
        Assert.Equal(Bodies.AccessToken, session.Token);
        Assert.Equal(2, _server.Requests().Count);
    }

    [Fact]
    public async Task The_retry_after_header_wins_over_body_retryAfter_and_ratelimit_reset()
    {
        _server.AnswerInOrder(Wire.AnonymousPath,
            () => Wire.Message(429, """{"error":"slow down","retryAfter":9}""", ("Retry-After", "2"), ("ratelimit-reset", "7")),
            () => Wire.Message(200, Bodies.AnonymousSession()));
        using var client = ClientOnManualClock();

        var call = client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);

        Assert.Equal(TimeSpan.FromSeconds(2), await _clock.NextTimerAsync());
        _clock.Advance(TimeSpan.FromSeconds(2));
        await call.WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct);
        Assert.Equal(2, _server.Requests().Count);
    }

    [Fact]
    public async Task Body_retryAfter_wins_over_ratelimit_reset()
    {
        _server.AnswerInOrder(Wire.AnonymousPath,
            () => Wire.Message(429, """{"error":"slow down","retryAfter":3}""", ("ratelimit-reset", "7")),
            () => Wire.Message(200, Bodies.AnonymousSession()));
        using var client = ClientOnManualClock();

        var call = client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);

        Assert.Equal(TimeSpan.FromSeconds(3), await _clock.NextTimerAsync());
        _clock.Advance(TimeSpan.FromSeconds(3));
        await call.WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct);
        Assert.Equal(2, _server.Requests().Count);
    }

    [Fact]
    public async Task A_post_whose_body_retryAfter_equals_ratelimit_reset_is_still_sent_again()
    {
        // express-rate-limit sends ratelimit-reset alongside the body's retryAfter, often with the same value.
        _server.AnswerInOrder(Wire.AnonymousPath,
            () => Wire.Message(429, """{"error":"Too many requests, please try again later.","retryAfter":4}""", ("ratelimit-reset", "4")),
            () => Wire.Message(200, Bodies.AnonymousSession()));
        using var client = ClientOnManualClock();

        var call = client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);
        var timer = _clock.NextTimerAsync();
        if (await Task.WhenAny(call, timer) == call)
        {
            var ex = await Record.ExceptionAsync(() => call);
            Assert.Fail($"The POST was not sent again: the call ended after {_server.Requests().Count} request(s) with {ex?.GetType().Name}: {ex?.Message}");
        }

        Assert.Equal(TimeSpan.FromSeconds(4), await timer);
        _clock.Advance(TimeSpan.FromSeconds(4));
        await call.WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct);
        Assert.Equal(2, _server.Requests().Count);
    }

    [Fact]
    public async Task A_get_with_only_ratelimit_reset_waits_that_long_then_is_sent_again()
    {
        var answers = _server.AnswerInOrder("/api/things",
            () => Wire.Message(429, """{"error":"Too many requests from this IP, please try again later."}""", ("ratelimit-reset", "6"), ("ratelimit-remaining", "0")),
            () => Wire.Message(200, "[]"));
        using var harness = RetryHarness.OverSockets(out _, _clock, o => o.Timeout = Timeout.InfiniteTimeSpan);

        var call = harness.SendAsync(HttpMethod.Get, new Uri(_server.BaseUrl(), "/api/things"), cancellationToken: Wire.Ct);

        Assert.Equal(TimeSpan.FromSeconds(6), await _clock.NextTimerAsync());
        _clock.Advance(TimeSpan.FromSeconds(5.9));
        Assert.Equal(1, answers.Count);
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        using var response = await call.WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _server.Requests().Count);
    }

    [Fact]
    public async Task A_post_with_only_ratelimit_reset_is_not_sent_again_and_reports_the_reset_as_RetryAfter()
    {
        _server.Answer(Wire.AnonymousPath, Wire.Json(429, """{"error":"Too many requests from this IP, please try again later."}""")
            .WithHeader("ratelimit-reset", "6")
            .WithHeader("ratelimit-limit", "5")
            .WithHeader("ratelimit-remaining", "0"));
        using var client = ClientOnManualClock();

        // The clock is never advanced: the call must end on its own.
        var ex = await Errors.ExpectAsync<MudbaseRateLimitException>(
            () => client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct).WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct));

        Assert.Equal(TimeSpan.FromSeconds(6), ex.RetryAfter);
        Assert.Single(_server.Requests());
    }

    public static TheoryData<string, string, string, int> OverTheCap => new()
    {
        { "Retry-After header in seconds", "Retry-After", "60", 60 },
        { "Retry-After header as an HTTP date", "Retry-After", HttpDate(ManualClock.Start.AddSeconds(120)), 120 },
        { "body retryAfter (the 15-minute lockout)", "", """{"error":"Too many requests, please try again later.","retryAfter":900}""", 900 },
    };

    [Theory]
    [MemberData(nameof(OverTheCap))]
    public async Task A_wait_longer_than_MaxRetryAfter_fails_at_once_with_RetryAfter_set_after_one_request(string form, string header, string value, int seconds)
    {
        _server.Answer(Wire.AnonymousPath, header.Length > 0
            ? Wire.Json(429, """{"error":"Too many requests"}""").WithHeader(header, value)
            : Wire.Json(429, value));
        using var client = ClientOnManualClock(o => o.Retry.MaxRetryAfter = TimeSpan.FromSeconds(10));

        var ex = await Errors.ExpectAsync<MudbaseRateLimitException>(
            () => client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct).WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct));

        Assert.Equal(TimeSpan.FromSeconds(seconds), ex.RetryAfter);
        Assert.Single(_server.Requests());
        Assert.DoesNotContain(TimeSpan.FromSeconds(seconds), _clock.ArmedSoFar);
        Assert.True(_clock.GetUtcNow() == ManualClock.Start, $"{form}: the call only ended once the clock moved");
    }

    [Fact]
    public async Task A_get_told_to_wait_longer_than_MaxRetryAfter_is_not_sent_again()
    {
        _server.Answer("/api/things", Wire.Json(503, """{"error":"Service temporarily unavailable."}""").WithHeader("Retry-After", "11"));
        using var harness = RetryHarness.OverSockets(out _, _clock, o =>
        {
            o.Timeout = Timeout.InfiniteTimeSpan;
            o.Retry.MaxRetryAfter = TimeSpan.FromSeconds(10);
        });

        using var response = await harness.SendAsync(HttpMethod.Get, new Uri(_server.BaseUrl(), "/api/things"), cancellationToken: Wire.Ct)
            .WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Single(_server.Requests());
    }

    [Fact]
    public async Task On_the_real_clock_a_long_retry_after_fails_the_call_in_well_under_a_second()
    {
        _server.Answer(Wire.RegisterPath, Wire.Json(429, """{"error":"Too many requests"}""").WithHeader("Retry-After", "3600"));
        using var client = _server.Client(o => o.Retry.MaxRetryAfter = TimeSpan.FromSeconds(5));
        var watch = Stopwatch.StartNew();

        var ex = await Errors.ExpectAsync<MudbaseRateLimitException>(() => client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct));

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.Equal(TimeSpan.FromHours(1), ex.RetryAfter);
        Assert.Single(_server.Requests());
    }

    [Fact]
    public async Task A_retry_after_date_in_the_past_means_send_again_now()
    {
        _server.AnswerInOrder(Wire.AnonymousPath,
            () => Wire.Message(503, """{"error":"busy"}""", ("Retry-After", HttpDate(ManualClock.Start.AddMinutes(-5)))),
            () => Wire.Message(200, Bodies.AnonymousSession()));
        using var client = ClientOnManualClock();

        var session = await client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct).WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct);

        Assert.Equal(Bodies.AccessToken, session.Token);
        Assert.Equal(2, _server.Requests().Count);
        Assert.Equal(ManualClock.Start, _clock.GetUtcNow());
    }

    [Fact]
    public async Task When_retries_run_out_the_rate_limit_exception_carries_the_last_RetryAfter()
    {
        _server.Answer(Wire.AnonymousPath, Wire.Json(429, """{"error":"Too many requests"}""").WithHeader("Retry-After", "1"));
        using var client = ClientOnManualClock(o => o.Retry.MaxRetries = 1);

        var call = client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);
        Assert.Equal(TimeSpan.FromSeconds(1), await _clock.NextTimerAsync());
        _clock.Advance(TimeSpan.FromSeconds(1));
        var ex = await Errors.ExpectAsync<MudbaseRateLimitException>(() => call.WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct));

        Assert.Equal(TimeSpan.FromSeconds(1), ex.RetryAfter);
        Assert.Equal(2, _server.Requests().Count);
    }
}
