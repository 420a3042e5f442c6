using System.Net;
using Mudbase.Auth;
using Mudbase.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Mudbase.Tests.Sessions;

/// <summary>Tokens attached, refreshed once however many calls need it, kept or ended as the server decides.</summary>
public sealed class SessionRefreshTests : IDisposable
{
    private const string SessionPath = "/api/auth/local/session";
    private const string RefreshPath = "/api/auth/refresh";
    private const string ConvertPath = "/api/auth/anonymous/convert";
    private const string LogoutPath = "/api/auth/local/logout";

    private readonly WireMockServer _server = Wire.StartServer();

    public void Dispose() => _server.Dispose();

    private static string SessionBody(string token, string refreshToken, int expiresIn) =>
        $$"""{"message":"ok","token":"{{token}}","refreshToken":"{{refreshToken}}","expiresIn":{{expiresIn}},"user":{{Bodies.AnonymousUser}}}""";

    private static string RefreshBody(string token, string refreshToken, int expiresIn = 3600) =>
        $$"""{"message":"Token refreshed","token":"{{token}}","refreshToken":"{{refreshToken}}","expiresIn":{{expiresIn}}}""";

    /// <summary>Signs in through the anonymous call with tokens of the given lifetime (0: already inside the refresh skew).</summary>
    private async Task<MudbaseClient> SignedInClientAsync(int expiresIn, Action<MudbaseClientOptions>? configure = null)
    {
        _server.Answer(Wire.AnonymousPath, Wire.Json(200, SessionBody("access-1", "refresh-1", expiresIn)));
        var client = _server.Client(configure);
        await client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);
        return client;
    }

    private IEnumerable<WireMock.IRequestMessage> RequestsTo(string path) =>
        _server.Requests().Where(r => r.Path == path);

    [Fact]
    public async Task Authenticated_calls_carry_the_current_access_token()
    {
        using var client = await SignedInClientAsync(expiresIn: 3600);
        _server.Answer(SessionPath, Wire.Json(200, $$"""{"user":{{Bodies.AnonymousUser}},"authenticated":true}"""));

        var info = await client.Auth.GetSessionAsync(cancellationToken: Wire.Ct);

        Assert.True(info.Authenticated);
        var sent = Assert.Single(RequestsTo(SessionPath));
        Assert.Equal("Bearer access-1", sent.Header("Authorization"));
        Assert.Equal(Wire.ProjectId, Assert.Single(sent.Query!["projectId"]));
        Assert.Null(RequestsTo(Wire.AnonymousPath).Single().Header("Authorization"));
    }

    [Fact]
    public async Task An_authenticated_call_without_a_session_fails_before_sending()
    {
        using var client = _server.Client();

        var ex = await Assert.ThrowsAsync<MudbaseAuthenticationException>(() => client.Auth.GetSessionAsync(cancellationToken: Wire.Ct));

        Assert.Null(ex.StatusCode);
        Assert.Empty(_server.Requests());
    }

    [Fact]
    public async Task A_hundred_concurrent_calls_with_an_expired_token_send_exactly_one_refresh()
    {
        using var client = await SignedInClientAsync(expiresIn: 0);
        var refreshes = _server.AnswerInOrder(RefreshPath, () => Wire.Message(200, RefreshBody("access-2", "refresh-2")));
        _server.Answer(SessionPath, Wire.Json(200, $$"""{"user":{{Bodies.AnonymousUser}},"authenticated":true}"""));

        var results = await Task.WhenAll(Enumerable.Range(0, 100).Select(_ => client.Auth.GetSessionAsync(cancellationToken: Wire.Ct)));

        Assert.All(results, r => Assert.True(r.Authenticated));
        Assert.Equal(1, refreshes.Count);
        Assert.Equal("""{"refreshToken":"refresh-1"}""", RequestsTo(RefreshPath).Single().Body);
        Assert.All(RequestsTo(SessionPath), r => Assert.Equal("Bearer access-2", r.Header("Authorization")));
        Assert.Equal("access-2", client.Auth.CurrentSession?.Token);
        Assert.Equal("refresh-2", client.Auth.CurrentSession?.RefreshToken);
    }

    [Fact]
    public async Task A_refresh_that_fails_on_the_server_keeps_the_session()
    {
        using var client = await SignedInClientAsync(expiresIn: 0);
        var before = client.Auth.CurrentSession;
        var changes = new List<SessionChangeReason>();
        client.Auth.SessionChanged += (_, e) => changes.Add(e.Reason);
        _server.Answer(RefreshPath, Response.Create().WithStatusCode(502).WithBody("<html>Bad gateway</html>"));

        await Assert.ThrowsAsync<MudbaseServerException>(() => client.Auth.GetSessionAsync(cancellationToken: Wire.Ct));

        Assert.Same(before, client.Auth.CurrentSession);
        Assert.Empty(changes);
        Assert.Single(RequestsTo(RefreshPath)); // a refresh is a POST: never re-sent after a 502
    }

    [Fact]
    public async Task A_refresh_whose_connection_fails_keeps_the_session()
    {
        using var client = await SignedInClientAsync(expiresIn: 0);
        var before = client.Auth.CurrentSession;
        _server.Stop(); // nothing listens any more: the refresh cannot reach the server

        await Assert.ThrowsAsync<MudbaseTransportException>(() => client.Auth.RefreshAsync(Wire.Ct));

        Assert.Same(before, client.Auth.CurrentSession);
    }

    [Fact]
    public async Task A_rejected_refresh_signs_out_and_raises_the_event_once()
    {
        using var client = await SignedInClientAsync(expiresIn: 0);
        var changes = new List<SessionChangedEventArgs>();
        client.Auth.SessionChanged += (_, e) => { lock (changes) { changes.Add(e); } };
        _server.Answer(RefreshPath, Wire.Json(401, """{"error":"Invalid or expired refresh token"}"""));

        var calls = Enumerable.Range(0, 20).Select(_ => client.Auth.GetSessionAsync(cancellationToken: Wire.Ct)).ToList();
        foreach (var call in calls)
        {
            await Assert.ThrowsAsync<MudbaseAuthenticationException>(() => call);
        }

        Assert.Null(client.Auth.CurrentSession);
        var change = Assert.Single(changes);
        Assert.Equal(SessionChangeReason.RefreshRejected, change.Reason);
        Assert.Null(change.Session);
        Assert.Single(RequestsTo(RefreshPath));
        Assert.Empty(RequestsTo(SessionPath));
    }

    [Fact]
    public async Task A_401_on_a_post_refreshes_once_and_resends_the_body_intact()
    {
        using var client = await SignedInClientAsync(expiresIn: 3600);
        _server.Answer(RefreshPath, Wire.Json(200, RefreshBody("access-2", "refresh-2")));
        _server.AnswerInOrder(ConvertPath,
            () => Wire.Message(401, """{"error":"Invalid or expired token"}"""),
            () => Wire.Message(200, SessionBody("access-3", "refresh-3", 3600)));

        var session = await client.Auth.ConvertAnonymousAsync(new ConvertAnonymousRequest { Email = "ada@northwind.dev", Password = "Sup3r-secret-pw" }, Wire.Ct);

        Assert.Equal("access-3", session.Token);
        var converts = RequestsTo(ConvertPath).ToList();
        Assert.Equal(2, converts.Count);
        Assert.Equal("Bearer access-1", converts[0].Header("Authorization"));
        Assert.Equal("Bearer access-2", converts[1].Header("Authorization"));
        Assert.Equal("""{"email":"ada@northwind.dev","password":"Sup3r-secret-pw"}""", converts[1].Body);
        Assert.Equal(converts[0].Body, converts[1].Body);
        Assert.Single(RequestsTo(RefreshPath));
    }

    [Fact]
    public async Task A_second_401_after_the_refresh_reaches_the_caller()
    {
        using var client = await SignedInClientAsync(expiresIn: 3600);
        _server.Answer(RefreshPath, Wire.Json(200, RefreshBody("access-2", "refresh-2")));
        _server.Answer(SessionPath, Wire.Json(401, """{"error":"Authentication required","code":"UNAUTHORIZED"}"""));

        var ex = await Assert.ThrowsAsync<MudbaseAuthenticationException>(() => client.Auth.GetSessionAsync(cancellationToken: Wire.Ct));

        Assert.Equal(HttpStatusCode.Unauthorized, ex.StatusCode);
        Assert.Equal(2, RequestsTo(SessionPath).Count());
        Assert.Single(RequestsTo(RefreshPath));
        Assert.Equal("access-2", client.Auth.CurrentSession?.Token); // the refresh itself succeeded and is kept
    }

    [Fact]
    public async Task A_refresh_that_completes_after_sign_out_is_discarded()
    {
        using var client = await SignedInClientAsync(expiresIn: 3600);
        // The refresh is answered only once the app has signed out.
        using var signedOut = new ManualResetEventSlim();
        var refreshes = new AnswerSequence([() =>
        {
            signedOut.Wait(TimeSpan.FromSeconds(5));
            return Wire.Message(200, RefreshBody("access-2", "refresh-2"));
        }]);
        _server.Given(Request.Create().WithPath(RefreshPath)).RespondWith(Response.Create().WithCallback(refreshes.Next));
        _server.Answer(LogoutPath, Wire.Json(200, """{"message":"Logged out"}"""));

        var refresh = client.Auth.RefreshAsync(Wire.Ct);
        await refreshes.FirstArrived.WaitAsync(TimeSpan.FromSeconds(5), Wire.Ct);
        await client.Auth.LogoutAsync(Wire.Ct);
        signedOut.Set();

        // The refresh belonged to the session that is gone: its tokens are not taken up.
        await Assert.ThrowsAsync<MudbaseAuthenticationException>(() => refresh);
        Assert.Null(client.Auth.CurrentSession);
    }

    [Fact]
    public async Task Logout_clears_the_local_session_even_when_the_server_fails()
    {
        using var client = await SignedInClientAsync(expiresIn: 3600);
        var changes = new List<SessionChangeReason>();
        client.Auth.SessionChanged += (_, e) => changes.Add(e.Reason);
        _server.Answer(LogoutPath, Wire.Json(500, """{"error":"Internal server error","code":"INTERNAL_ERROR"}"""));

        await Assert.ThrowsAsync<MudbaseServerException>(() => client.Auth.LogoutAsync(Wire.Ct));

        Assert.Null(client.Auth.CurrentSession);
        Assert.Equal([SessionChangeReason.SignedOut], changes);
        Assert.Equal("Bearer access-1", RequestsTo(LogoutPath).Single().Header("Authorization"));
    }

    [Fact]
    public async Task Logout_does_not_refresh_an_expired_token_first()
    {
        using var client = await SignedInClientAsync(expiresIn: 0);
        _server.Answer(LogoutPath, Wire.Json(200, """{"message":"Logged out"}"""));

        await client.Auth.LogoutAsync(Wire.Ct);

        Assert.Empty(RequestsTo(RefreshPath));
        Assert.Equal("Bearer access-1", RequestsTo(LogoutPath).Single().Header("Authorization"));
    }

    [Fact]
    public async Task Signing_in_and_refreshing_raise_their_events_with_the_new_session()
    {
        _server.Answer(Wire.AnonymousPath, Wire.Json(200, SessionBody("access-1", "refresh-1", 3600)));
        _server.Answer(RefreshPath, Wire.Json(200, RefreshBody("access-2", "refresh-2")));
        using var client = _server.Client();
        var changes = new List<SessionChangedEventArgs>();
        client.Auth.SessionChanged += (_, e) => changes.Add(e);

        var first = await client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);
        var second = await client.Auth.RefreshAsync(Wire.Ct);

        Assert.Equal([SessionChangeReason.SignedIn, SessionChangeReason.Refreshed], changes.Select(c => c.Reason));
        Assert.Same(first, changes[0].Session);
        Assert.Same(second, changes[1].Session);
        Assert.Equal(first.User.Id, second.User.Id); // a refresh answer has no user: the session keeps its own
    }
}
