using System.Collections.Concurrent;
using Mudbase.Auth;
using Mudbase.Tests.Support;
using WireMock.Server;

namespace Mudbase.Tests.Sessions;

/// <summary>One client serving many users: each view's requests carry that view's token and no other.</summary>
public sealed class MultiUserTests : IDisposable
{
    private readonly WireMockServer _server = Wire.StartServer();

    public void Dispose() => _server.Dispose();

    private static AuthSession SessionOf(string user, int expiresInSeconds = 3600) =>
        new($"access-{user}", $"refresh-{user}", expiresInSeconds, DateTimeOffset.UtcNow.AddSeconds(expiresInSeconds), new MudbaseUser($"id-{user}", $"{user}@northwind.dev"));

    [Fact]
    public async Task Interleaved_calls_for_two_users_never_cross_tokens()
    {
        _server.Answer("/api/auth/local/session", Wire.Json(200, """{"authenticated":true}"""));
        using var client = _server.Client();
        var alice = client.WithSession(SessionOf("alice"));
        var bob = client.WithSession(SessionOf("bob"));

        await Task.WhenAll(Enumerable.Range(0, 100).Select(i => (i % 2 == 0 ? alice : bob).Auth.GetSessionAsync(cancellationToken: Wire.Ct)));

        var bearers = _server.Requests().Select(r => r.Header("Authorization")).ToList();
        Assert.Equal(100, bearers.Count);
        Assert.Equal(50, bearers.Count(b => b == "Bearer access-alice"));
        Assert.Equal(50, bearers.Count(b => b == "Bearer access-bob"));
        Assert.Null(client.Auth.CurrentSession); // the client's own session is untouched by its views
    }

    [Fact]
    public async Task Each_view_refreshes_its_own_session_and_reports_it()
    {
        var refreshedFor = new ConcurrentBag<string>();
        _server.Answer("/api/auth/local/session", Wire.Json(200, """{"authenticated":true}"""));
        _server.Given(WireMock.RequestBuilders.Request.Create().WithPath("/api/auth/refresh")).RespondWith(
            WireMock.ResponseBuilders.Response.Create().WithCallback(request =>
            {
                var user = request.Body!.Contains("alice", StringComparison.Ordinal) ? "alice" : "bob";
                refreshedFor.Add(user);
                return Wire.Message(200, $$"""{"token":"access-{{user}}-2","refreshToken":"refresh-{{user}}-2","expiresIn":3600}""");
            }));
        using var client = _server.Client();
        var alice = client.WithSession(SessionOf("alice", expiresInSeconds: 0));
        var bob = client.WithSession(SessionOf("bob", expiresInSeconds: 0));
        AuthSession? saved = null;
        alice.Auth.SessionChanged += (_, e) => saved = e.Session;

        await Task.WhenAll(
            Enumerable.Range(0, 20).Select(i => (i % 2 == 0 ? alice : bob).Auth.GetSessionAsync(cancellationToken: Wire.Ct)));

        Assert.Equal(["alice", "bob"], refreshedFor.Order());
        Assert.Equal("access-alice-2", alice.Auth.CurrentSession?.Token);
        Assert.Equal("access-bob-2", bob.Auth.CurrentSession?.Token);
        Assert.Equal("refresh-alice-2", saved?.RefreshToken);
        var sessionCalls = _server.Requests().Where(r => r.Path == "/api/auth/local/session").ToList();
        Assert.Equal(10, sessionCalls.Count(r => r.Header("Authorization") == "Bearer access-alice-2"));
        Assert.Equal(10, sessionCalls.Count(r => r.Header("Authorization") == "Bearer access-bob-2"));
    }

    [Fact]
    public async Task A_view_can_keep_its_session_in_a_store_of_its_own()
    {
        _server.Answer("/api/auth/local/session", Wire.Json(200, """{"authenticated":true}"""));
        var store = new InMemorySessionStore();
        await store.SaveAsync(SessionOf("carol"), Wire.Ct);
        using var client = _server.Client();

        var carol = client.WithSession(session: null, store);
        await carol.Auth.GetSessionAsync(cancellationToken: Wire.Ct);

        Assert.Equal("Bearer access-carol", _server.Requests().Single().Header("Authorization"));
    }
}
