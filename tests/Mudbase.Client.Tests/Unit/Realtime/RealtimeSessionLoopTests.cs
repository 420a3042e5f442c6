using System.Net;
using System.Threading.Channels;
using Mudbase.Realtime;
using Mudbase.Tests.Support;

namespace Mudbase.Tests.Unit.Realtime;

/// <summary>
/// The session's connection loop over in-memory sockets (one pair per attempt, the server's side scripted by the test)
/// and a stubbed HTTP transport: which token each attempt sends, what a refusal does, how the streams end.
/// </summary>
public sealed class RealtimeSessionLoopTests
{
    private const string ListAnswer = """{"data":[],"pagination":{"page":1,"limit":100,"total":0,"totalPages":0}}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A client whose realtime sockets come from <paramref name="attempts"/> and whose HTTP calls the stub answers.</summary>
    private static (MudbaseClient Client, IMudbaseClient View, StubHandler Http) Build(Channel<InMemorySocketIoServer> attempts, Func<int, string> refreshAnswer)
    {
        var refreshes = 0;
        var http = new StubHandler((_, request, _) =>
        {
            var path = request.RequestUri!.AbsolutePath;
            return Task.FromResult(path.EndsWith("/refresh", StringComparison.Ordinal)
                ? StubHandler.Answer(HttpStatusCode.OK, refreshAnswer(Interlocked.Increment(ref refreshes)))
                : StubHandler.Answer(HttpStatusCode.OK, ListAnswer));
        });
        var options = new MudbaseClientOptions
        {
            BaseUrl = new Uri("http://127.0.0.1:9999"),
            ProjectId = "685ad30be129932fbb7a1047",
            Realtime = { ReconnectDelay = TimeSpan.FromMilliseconds(10), MaxReconnectDelay = TimeSpan.FromMilliseconds(20) },
            RealtimeSocketFactory = (_, _) =>
            {
                var server = new InMemorySocketIoServer();
                attempts.Writer.TryWrite(server);
                return Task.FromResult(server.ClientSocket);
            },
        };
        var client = new MudbaseClient(options, http, TimeProvider.System);
        return (client, client.WithSession(HandMadeSession.Fresh()), http);
    }

    private static string Tokens(int n) => $$"""{"token":"access-{{n}}","refreshToken":"refresh-{{n}}","expiresIn":3600}""";

    private static async Task<InMemorySocketIoServer> NextAttemptAsync(Channel<InMemorySocketIoServer> attempts)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        return await attempts.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>Open packet out, the client's CONNECT (with its token) back.</summary>
    private static async Task<string> HandshakeAsync(InMemorySocketIoServer server)
    {
        await server.SendAsync(InMemorySocketIoServer.OpenPacket);
        return await server.ReceiveAsync();
    }

    [Fact]
    public async Task A_refused_token_is_refreshed_once_and_the_next_attempt_sends_the_new_one()
    {
        var attempts = Channel.CreateUnbounded<InMemorySocketIoServer>();
        var (client, view, http) = Build(attempts, Tokens);
        using var _ = client;
        var events = Channel.CreateUnbounded<CollectionEvent<Mudbase.Data.MudbaseDocument>>();
        var watching = Task.Run(async () =>
        {
            await foreach (var e in view.Data.Collection("todos").WatchAsync(cancellationToken: Ct))
            {
                await events.Writer.WriteAsync(e, Ct);
                return;
            }
        }, Ct);

        await using var first = await NextAttemptAsync(attempts);
        Assert.Equal($$"""40{"token":"{{Bodies.AccessToken}}"}""", await HandshakeAsync(first));
        await first.SendAsync("""44{"message":"Authentication error"}""");

        await using var second = await NextAttemptAsync(attempts);
        Assert.Equal("""40{"token":"access-1"}""", await HandshakeAsync(second));
        await second.SendAsync("""40{"sid":"socket-2"}""");
        Assert.Equal("""420["subscribe:collection",{"projectId":"685ad30be129932fbb7a1047","collectionId":"todos"}]""", await second.ReceiveAsync());
        await second.SendAsync("""430[{"type":"collection","id":"c-1","projectId":"685ad30be129932fbb7a1047"}]""");
        // The state is fetched after the ack; then an event on the collection's id (not the name it was watched by) arrives.
        await second.SendAsync("""42["db:create",{"projectId":"685ad30be129932fbb7a1047","collectionId":"c-1","action":"create","data":{"_id":"d-1","title":"hi"},"timestamp":"2026-12-06T00:00:00Z"}]""");

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        var created = Assert.IsType<CollectionEvent<Mudbase.Data.MudbaseDocument>.Created>(await events.Reader.ReadAsync(timeout.Token));
        Assert.Equal("d-1", created.DocumentId);
        await watching;
        Assert.Equal(1, http.Seen.Count(seen => seen.Body?.Contains(Bodies.RefreshToken, StringComparison.Ordinal) == true));
        Assert.Equal("access-1", view.Auth.CurrentSession!.Token);
    }

    [Fact]
    public async Task Three_refusals_in_a_row_end_the_streams_with_an_authentication_error()
    {
        var attempts = Channel.CreateUnbounded<InMemorySocketIoServer>();
        var (client, view, http) = Build(attempts, Tokens);
        using var _ = client;
        var states = new List<RealtimeState>();
        view.Realtime.StateChanged += (_, e) => { lock (states) { states.Add(e.Current); } };
        var watching = Task.Run(async () =>
        {
            await foreach (var unused in view.Data.Collection("todos").WatchAsync(cancellationToken: Ct))
            {
            }
        }, Ct);

        var tokens = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var server = await NextAttemptAsync(attempts);
            tokens.Add(await HandshakeAsync(server));
            await server.SendAsync("""44{"message":"Authentication error"}""");
        }

        var error = await Assert.ThrowsAsync<MudbaseAuthenticationException>(() => watching);
        Assert.Contains("refused the session's token 3 times", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("access-", error.Message, StringComparison.Ordinal);
        // Each refusal but the last refreshed: every attempt carried a token no attempt had sent before.
        Assert.Equal([$$"""40{"token":"{{Bodies.AccessToken}}"}""", """40{"token":"access-1"}""", """40{"token":"access-2"}"""], tokens);
        Assert.Equal(2, http.Seen.Count(seen => seen.Method == HttpMethod.Post));
        Assert.False(attempts.Reader.TryRead(out var _), "no attempt after giving up");
        Assert.Equal(RealtimeState.Disconnected, view.Realtime.State);
        lock (states)
        {
            Assert.Equal(RealtimeState.Disconnected, states[^1]);
        }
    }

    [Fact]
    public async Task After_max_reconnect_attempts_fail_the_streams_end_with_a_transport_error()
    {
        var http = StubHandler.InOrder(() => StubHandler.Answer(HttpStatusCode.OK, ListAnswer));
        var tries = 0;
        var options = new MudbaseClientOptions
        {
            BaseUrl = new Uri("http://127.0.0.1:9999"),
            ProjectId = "685ad30be129932fbb7a1047",
            Realtime = { ReconnectDelay = TimeSpan.FromMilliseconds(5), MaxReconnectDelay = TimeSpan.FromMilliseconds(10), MaxReconnectAttempts = 4 },
            RealtimeSocketFactory = (_, _) =>
            {
                Interlocked.Increment(ref tries);
                throw new System.Net.WebSockets.WebSocketException("connection refused");
            },
        };
        using var client = new MudbaseClient(options, http, TimeProvider.System);
        var view = client.WithSession(HandMadeSession.Fresh());

        await Assert.ThrowsAsync<MudbaseTransportException>(async () =>
        {
            await foreach (var unused in view.Data.Collection("todos").WatchAsync(cancellationToken: Ct))
            {
            }
        });
        Assert.Equal(4, tries);
    }
}
