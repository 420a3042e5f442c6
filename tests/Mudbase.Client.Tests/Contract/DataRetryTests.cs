using System.Net;
using System.Text.Json.Nodes;
using Mudbase.Tests.Support;
using WireMock.Server;
using static Mudbase.Tests.Support.DataFixture;

namespace Mudbase.Tests.Contract;

/// <summary>
/// Which document calls are sent again, counted on the wire (MaxRetries = 2): reads and deletes after a transient failure,
/// never a create or an update the server may have processed, so that no document is created or changed twice.
/// </summary>
public sealed class DataRetryTests : IDisposable
{
    private const string RefreshPath = "/api/auth/refresh";
    private const string Unavailable = """{"error":"Service temporarily unavailable. Please try again later.","code":"SERVICE_UNAVAILABLE"}""";
    private readonly WireMockServer _server = Wire.StartServer();

    public void Dispose() => _server.Dispose();

    private static string PathOf(string call) => call is "list" or "create" ? ListPath : DocumentPath;

    private static string SuccessOf(string call) => call switch
    {
        "list" => CardPage(1, 1),
        "delete" => """{"message":"Data deleted successfully"}""",
        _ => Envelope(CardJson(), "ok"),
    };

    /// <summary>Answers <paramref name="call"/>'s path with <paramref name="failures"/> first, then its success.</summary>
    private AnswerSequence FailThenSucceed(string call, params Func<WireMock.ResponseMessage>[] failures) =>
        _server.AnswerInOrder(PathOf(call), [.. failures, () => Wire.Message(call == "create" ? 201 : 200, SuccessOf(call))]);

    [Theory]
    [InlineData("list")]
    [InlineData("get")]
    [InlineData("delete")]
    public async Task A_read_or_delete_answered_503_twice_is_re_sent_and_succeeds(string call)
    {
        var answers = FailThenSucceed(call, () => Wire.Message(503, Unavailable), () => Wire.Message(503, Unavailable));
        using var client = _server.Client();

        await DataContractTests.Calls[call](client.Cards());

        Assert.Equal(3, answers.Count);
        var requests = _server.Requests();
        Assert.Equal(3, requests.Count);
        Assert.All(requests, r => Assert.Equal(requests[0].Url, r.Url));
    }

    [Theory]
    [InlineData("list")]
    [InlineData("get")]
    [InlineData("delete")]
    public async Task A_read_or_delete_whose_answer_was_lost_is_re_sent_and_succeeds(string call)
    {
        FailThenSucceed(call);
        using var client = LostAnswerHandler.Client(_server, drops: 1);

        await DataContractTests.Calls[call](client.Cards());

        Assert.Equal(2, _server.Requests().Count);
    }

    [Theory]
    [InlineData("create", 503)]
    [InlineData("create", 502)]
    [InlineData("create", 504)]
    [InlineData("update", 503)]
    [InlineData("update", 500)]
    public async Task A_create_or_update_answered_with_a_transient_status_is_sent_exactly_once(string call, int status)
    {
        var answers = FailThenSucceed(call, () => Wire.Message(status, Unavailable));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseServerException>(() => DataContractTests.Calls[call](client.Cards()));

        Assert.Equal((HttpStatusCode)status, ex.StatusCode);
        Assert.Equal(1, answers.Count);
        Assert.Single(_server.Requests());
    }

    [Theory]
    [InlineData("create")]
    [InlineData("update")]
    public async Task A_create_or_update_whose_answer_was_lost_is_sent_exactly_once_and_the_caller_is_told(string call)
    {
        FailThenSucceed(call);
        using var client = LostAnswerHandler.Client(_server, drops: 1);

        var ex = await Errors.ExpectAsync<MudbaseTransportException>(() => DataContractTests.Calls[call](client.Cards()));

        Assert.Null(ex.StatusCode);
        Assert.False(ex.IsTimeout);
        Assert.Contains("not re-sent", ex.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests());
    }

    [Theory]
    [InlineData("create", RawBehaviour.CloseWithoutAnswer)]
    [InlineData("create", RawBehaviour.Reset)]
    [InlineData("update", RawBehaviour.CloseWithoutAnswer)]
    [InlineData("update", RawBehaviour.Reset)]
    public async Task A_create_or_update_whose_connection_drops_is_sent_exactly_once(string call, RawBehaviour behaviour)
    {
        await using var raw = new RawTcpServer(behaviour);
        var counter = new CountingHandler(new SocketsHttpHandler());
        using var client = Wire.Client(raw.Url, counter, TimeProvider.System);

        await Errors.ExpectAsync<MudbaseTransportException>(() => DataContractTests.Calls[call](client.Cards()));

        Assert.Equal(1, counter.Attempts);
        var request = Assert.Single(raw.Requests);
        Assert.StartsWith($"{(call == "create" ? "POST" : "PATCH")} {PathOf(call)} HTTP/1.1", request, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("list")]
    [InlineData("create")]
    [InlineData("update")]
    public async Task A_429_with_a_short_retry_after_is_waited_out_and_re_sent_once(string call)
    {
        var answers = FailThenSucceed(call, () => Wire.Message(429, """{"error":"Too many requests, please try again later."}""", ("Retry-After", "0")));
        using var client = _server.Client();

        await DataContractTests.Calls[call](client.Cards());

        Assert.Equal(2, answers.Count);
        var requests = _server.Requests();
        Assert.Equal(2, requests.Count);
        Assert.Equal(requests[0].Body, requests[1].Body);
    }

    [Theory]
    [InlineData("list")]
    [InlineData("create")]
    public async Task A_429_with_a_long_retry_after_goes_back_to_the_caller_at_once(string call)
    {
        var answers = FailThenSucceed(call, () => Wire.Message(429, """{"error":"Too many requests, please try again later.","retryAfter":900}"""));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseRateLimitException>(() => DataContractTests.Calls[call](client.Cards()));

        Assert.Equal(TimeSpan.FromSeconds(900), ex.RetryAfter);
        Assert.Equal(1, answers.Count);
    }

    // ---- a refused token ----

    private static string RefreshBody(string token) =>
        $$"""{"message":"Token refreshed","token":"{{token}}","refreshToken":"refresh-2","expiresIn":3600}""";

    [Theory]
    [InlineData("list")]
    [InlineData("get")]
    [InlineData("create")]
    [InlineData("update")]
    [InlineData("delete")]
    public async Task A_401_while_signed_in_refreshes_once_and_re_sends_once_with_the_new_token(string call)
    {
        using var client = await _server.SignedInClientAsync();
        var refreshes = _server.AnswerInOrder(RefreshPath, () => Wire.Message(200, RefreshBody("access-2")));
        FailThenSucceed(call, () => Wire.Message(401, """{"error":"Invalid token."}"""));

        await DataContractTests.Calls[call](client.Cards());

        Assert.Equal(1, refreshes.Count);
        var sent = _server.DataRequests();
        Assert.Equal(2, sent.Count);
        Assert.Equal("Bearer " + Bodies.AccessToken, sent[0].Header("Authorization"));
        Assert.Equal("Bearer access-2", sent[1].Header("Authorization"));
        Assert.Equal(sent[0].Url, sent[1].Url);
        Assert.Equal(sent[0].Body, sent[1].Body);
    }

    [Fact]
    public async Task A_second_401_after_the_refresh_goes_to_the_caller_without_another_refresh()
    {
        using var client = await _server.SignedInClientAsync();
        var refreshes = _server.AnswerInOrder(RefreshPath, () => Wire.Message(200, RefreshBody("access-2")));
        var answers = FailThenSucceed("update", () => Wire.Message(401, """{"error":"Invalid token."}"""), () => Wire.Message(401, """{"error":"Invalid token."}"""));

        var ex = await Errors.ExpectAsync<MudbaseAuthenticationException>(
            () => client.Cards().UpdateAsync(DocumentId, new JsonObject { ["done"] = true }, Wire.Ct));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Equal(1, refreshes.Count);
        Assert.Equal(2, answers.Count);
    }
}
