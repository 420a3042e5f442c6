using System.Net;
using Mudbase.Tests.Support;
using WireMock.Server;

namespace Mudbase.Tests.Contract;

/// <summary>
/// Verb × answer (or fault) → how many times the request crossed the wire, with MaxRetries = 2 (so 3 means
/// "retried until the retries ran out", 1 means "sent once"). POST goes through the public client; the other
/// verbs, which no public call uses yet, go through <c>MudbaseRetryHandler</c> on real sockets.
/// </summary>
public sealed class RetryMatrixTests : IDisposable
{
    private const string Path = "/api/things/1";
    private readonly WireMockServer _server = Wire.StartServer();

    public void Dispose() => _server.Dispose();

    private Uri Url => new(_server.BaseUrl(), Path);

    public static TheoryData<string, int, int> IdempotentMatrix()
    {
        var data = new TheoryData<string, int, int>();
        foreach (var verb in new[] { "GET", "PUT", "DELETE" })
        {
            foreach (var status in new[] { 408, 429, 500, 502, 503, 504 })
            {
                data.Add(verb, status, 3);
            }

            foreach (var status in new[] { 400, 401, 403, 404, 409, 422, 501 })
            {
                data.Add(verb, status, 1);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(IdempotentMatrix))]
    public async Task An_idempotent_request_is_resent_only_on_transient_statuses(string verb, int status, int expectedRequests)
    {
        _server.Answer(Path, Wire.Json(status, """{"error":"nope"}"""));
        using var harness = RetryHarness.OverSockets(out _);

        using var response = await harness.SendAsync(new HttpMethod(verb), Url, verb == "PUT" ? """{"title":"x"}""" : null, Wire.Ct);

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        var requests = _server.Requests();
        Assert.Equal(expectedRequests, requests.Count);
        Assert.All(requests, r => Assert.Equal(verb, r.Method));
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task A_post_answered_with_a_transient_status_but_no_retry_after_is_sent_exactly_once(int status)
    {
        _server.Answer(Wire.AnonymousPath, Wire.Json(status, """{"error":"nope"}"""));
        using var client = _server.Client();

        var ex = await Errors.CatchAsync(() => client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct));

        Assert.Equal((HttpStatusCode)status, Assert.IsAssignableFrom<MudbaseException>(ex).StatusCode);
        Assert.Single(_server.Requests());
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    public async Task A_patch_answered_with_a_transient_status_but_no_retry_after_is_sent_exactly_once(int status)
    {
        _server.Answer(Path, Wire.Json(status, """{"error":"nope"}"""));
        using var harness = RetryHarness.OverSockets(out _);

        using var response = await harness.SendAsync(HttpMethod.Patch, Url, """{"title":"x"}""", Wire.Ct);

        Assert.Equal((HttpStatusCode)status, response.StatusCode);
        Assert.Single(_server.Requests());
    }

    [Theory]
    [InlineData(429, "header")]
    [InlineData(503, "header")]
    [InlineData(429, "body")]
    [InlineData(503, "body")]
    public async Task A_post_answered_429_or_503_with_a_retry_after_is_resent_until_the_retries_run_out(int status, string where)
    {
        _server.Answer(Wire.RegisterPath, where == "header"
            ? Wire.Json(status, """{"error":"busy"}""").WithHeader("Retry-After", "0")
            : Wire.Json(status, """{"error":"busy","retryAfter":0}"""));
        using var client = _server.Client();

        var ex = await Errors.CatchAsync(() => client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct));

        Assert.Equal((HttpStatusCode)status, Assert.IsAssignableFrom<MudbaseException>(ex).StatusCode);
        Assert.Equal(3, _server.Requests().Count);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task A_patch_answered_429_or_503_with_a_retry_after_header_is_resent(int status)
    {
        _server.Answer(Path, Wire.Json(status, """{"error":"busy"}""").WithHeader("Retry-After", "0"));
        using var harness = RetryHarness.OverSockets(out _);

        using var response = await harness.SendAsync(HttpMethod.Patch, Url, """{"title":"x"}""", Wire.Ct);

        Assert.Equal(3, _server.Requests().Count);
    }

    [Fact]
    public async Task A_post_answered_503_503_then_200_succeeds_after_three_identical_requests()
    {
        var answers = _server.AnswerInOrder(Wire.RegisterPath,
            () => Wire.Message(503, """{"error":"Service temporarily unavailable. Please try again later.","code":"SERVICE_UNAVAILABLE"}""", ("Retry-After", "0")),
            () => Wire.Message(503, """{"error":"Service temporarily unavailable. Please try again later.","code":"SERVICE_UNAVAILABLE"}""", ("Retry-After", "0")),
            () => Wire.Message(201, Bodies.RegisterWithTokens()));
        using var client = _server.Client(o => o.ApiKey = "ak_test_key");

        var result = await client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct);

        Assert.Equal(Bodies.AccessToken, result.Token);
        Assert.Equal(3, answers.Count);
        var requests = _server.Requests();
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r =>
        {
            Assert.Equal(requests[0].Body, r.Body);
            Assert.Equal("ak_test_key", r.Header("X-API-Key"));
            Assert.Equal("application/json; charset=utf-8", r.Header("Content-Type"));
        });
    }

    [Fact]
    public async Task A_put_resent_after_503s_carries_its_whole_body_every_time()
    {
        var answers = _server.AnswerInOrder(Path,
            () => Wire.Message(503),
            () => Wire.Message(502),
            () => Wire.Message(200, """{"ok":true}"""));
        using var harness = RetryHarness.OverSockets(out _);

        using var response = await harness.SendAsync(HttpMethod.Put, Url, """{"title":"Ünïcode body","n":42}""", Wire.Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requests = _server.Requests();
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal("""{"title":"Ünïcode body","n":42}""", r.Body));
    }

    [Fact]
    public async Task With_MaxRetries_zero_nothing_is_resent()
    {
        _server.Answer(Path, Wire.Json(503, "{}").WithHeader("Retry-After", "0"));
        using var harness = RetryHarness.OverSockets(out _, configure: o => o.Retry.MaxRetries = 0);

        using var response = await harness.SendAsync(HttpMethod.Get, Url, cancellationToken: Wire.Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Single(_server.Requests());
    }

    [Fact]
    public async Task A_post_through_the_callers_HttpClient_is_resent_whole_and_the_HttpClient_survives_the_client()
    {
        _server.AnswerInOrder(Wire.AnonymousPath,
            () => Wire.Message(503, "{}", ("Retry-After", "0")),
            () => Wire.Message(200, Bodies.AnonymousSession()));
        using var httpClient = new HttpClient();

        using (var client = new MudbaseClient(Wire.Options(_server.BaseUrl()), httpClient))
        {
            var session = await client.Auth.CreateAnonymousAsync(new Auth.CreateAnonymousRequest { DeviceId = "d-1" }, Wire.Ct);
            Assert.Equal(Bodies.AccessToken, session.Token);
        }

        var requests = _server.Requests();
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal($$"""{"projectId":"{{Wire.ProjectId}}","deviceId":"d-1"}""", r.Body));
        using var stillUsable = await httpClient.GetAsync(new Uri(_server.BaseUrl(), "/health"), Wire.Ct);
        Assert.Equal(3, _server.Requests().Count);
    }

    // ---- connection faults and timeouts ----

    [Theory]
    [InlineData(RawBehaviour.CloseWithoutAnswer)]
    [InlineData(RawBehaviour.Reset)]
    public async Task A_get_whose_connection_drops_after_sending_is_retried(RawBehaviour behaviour)
    {
        await using var raw = new RawTcpServer(behaviour);
        using var harness = RetryHarness.OverSockets(out var counter);

        var ex = await Errors.CatchAsync(() => harness.SendAsync(HttpMethod.Get, new Uri(raw.Url, Path), cancellationToken: Wire.Ct));

        var transport = Assert.IsType<MudbaseTransportException>(ex);
        Assert.False(transport.IsTimeout);
        Assert.IsType<HttpRequestException>(transport.InnerException);
        Assert.Equal(3, counter.Attempts);
        Assert.True(raw.Requests.Count >= 3, $"expected at least 3 requests on the wire, saw {raw.Requests.Count}");
    }

    [Fact]
    public async Task A_get_to_a_port_where_nothing_listens_is_retried()
    {
        using var harness = RetryHarness.OverSockets(out var counter);

        var ex = await Errors.CatchAsync(() => harness.SendAsync(HttpMethod.Get, new Uri(RawTcpServer.UrlWithNothingListening(), Path), cancellationToken: Wire.Ct));

        Assert.IsType<MudbaseTransportException>(ex);
        Assert.Equal(3, counter.Attempts);
    }

    [Fact]
    public async Task A_get_that_times_out_is_retried_and_ends_as_a_timeout()
    {
        using var hanging = new HangingAnswer(_server, Path);
        using var harness = RetryHarness.OverSockets(out var counter, configure: o => o.Timeout = TimeSpan.FromMilliseconds(200));

        var ex = await Errors.CatchAsync(() => harness.SendAsync(HttpMethod.Get, Url, cancellationToken: Wire.Ct));

        var transport = Assert.IsType<MudbaseTransportException>(ex);
        Assert.True(transport.IsTimeout);
        Assert.Equal(3, counter.Attempts);
        Assert.Equal(3, await hanging.ArrivedAfterWaitingForAsync(3));
    }

    [Theory]
    [InlineData(RawBehaviour.CloseWithoutAnswer)]
    [InlineData(RawBehaviour.Reset)]
    public async Task A_post_whose_connection_drops_after_sending_is_sent_exactly_once(RawBehaviour behaviour)
    {
        await using var raw = new RawTcpServer(behaviour);
        var counter = new CountingHandler(new SocketsHttpHandler());
        using var client = Wire.Client(raw.Url, counter, TimeProvider.System);

        var ex = await Errors.CatchAsync(() => client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct));

        var transport = Assert.IsType<MudbaseTransportException>(ex);
        Assert.False(transport.IsTimeout);
        Assert.Null(transport.StatusCode);
        Assert.Equal(1, counter.Attempts);
        Assert.Equal(1, raw.Connections);
        var request = Assert.Single(raw.Requests);
        Assert.StartsWith("POST /api/auth/local/register HTTP/1.1", request, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_post_to_a_port_where_nothing_listens_is_resent_because_nothing_left()
    {
        var counter = new CountingHandler(new SocketsHttpHandler());
        using var client = Wire.Client(RawTcpServer.UrlWithNothingListening(), counter, TimeProvider.System);

        var ex = await Errors.CatchAsync(() => client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct));

        var transport = Assert.IsType<MudbaseTransportException>(ex);
        Assert.False(transport.IsTimeout);
        Assert.IsType<HttpRequestException>(transport.InnerException);
        Assert.Equal(3, counter.Attempts);
    }

    [Fact]
    public async Task A_post_that_times_out_is_sent_exactly_once()
    {
        using var hanging = new HangingAnswer(_server, Wire.RegisterPath);
        var counter = new CountingHandler(new SocketsHttpHandler());
        using var client = Wire.Client(_server.BaseUrl(), counter, TimeProvider.System, o => o.Timeout = TimeSpan.FromMilliseconds(300));

        var ex = await Errors.CatchAsync(() => client.Auth.RegisterAsync(Wire.NewRegisterRequest(), Wire.Ct));

        var transport = Assert.IsType<MudbaseTransportException>(ex);
        Assert.True(transport.IsTimeout);
        Assert.Equal(1, counter.Attempts);
        Assert.Equal(1, await hanging.ArrivedAfterWaitingForAsync(1));
    }
}
