using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Mudbase.Auth;
using Mudbase.Tests.Integration;

namespace Mudbase.Tests.DependencyInjection;

/// <summary>One registered client serving several users at once, against the emulator.</summary>
public sealed class RegisteredClientSessionTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Interleaved_calls_for_two_users_on_one_registered_client_never_cross_tokens()
    {
        var recorder = new BearerRecorder();
        var services = new ServiceCollection();
        services.AddMudbaseClient(o =>
        {
            o.BaseUrl = fixture.Emulator.BaseUrl;
            o.ProjectId = fixture.Emulator.NoVerificationProjectId;
        }).AddHttpMessageHandler(() => recorder);
        await using var provider = services.BuildServiceProvider();
        var mudbase = provider.GetRequiredService<IMudbaseClient>();

        // Two users sign in, each through a view of their own (as a server does per request).
        var alice = mudbase.WithSession(null);
        var bob = mudbase.WithSession(null);
        var aliceSession = (await alice.Auth.RegisterAsync(new RegisterRequest { Email = EmulatorFixture.NewEmail("alice"), Password = "Str0ng_Pass!", FirstName = "Alice", LastName = "A" }, Ct)).Session!;
        var bobSession = (await bob.Auth.RegisterAsync(new RegisterRequest { Email = EmulatorFixture.NewEmail("bob"), Password = "Str0ng_Pass!", FirstName = "Bob", LastName = "B" }, Ct)).Session!;

        var answers = await Task.WhenAll(Enumerable.Range(0, 60).Select(async i =>
        {
            var (view, expected) = i % 2 == 0 ? (alice, aliceSession) : (bob, bobSession);
            var info = await view.Auth.GetSessionAsync(cancellationToken: Ct);
            return (Expected: expected.User.Id, Seen: info.User?.Id);
        }));

        Assert.All(answers, a => Assert.Equal(a.Expected, a.Seen));
        var bearers = recorder.Seen.Where(s => s.Path == "/api/auth/local/session").Select(s => s.Authorization).ToList();
        Assert.Equal(30, bearers.Count(b => b == "Bearer " + aliceSession.Token));
        Assert.Equal(30, bearers.Count(b => b == "Bearer " + bobSession.Token));
        Assert.Null(mudbase.Auth.CurrentSession);
    }

    [Fact]
    public async Task A_session_store_registered_in_the_container_keeps_the_clients_session()
    {
        var store = new InMemorySessionStore();
        var services = new ServiceCollection();
        services.AddSingleton<IMudbaseSessionStore>(store);
        services.AddMudbaseClient(o =>
        {
            o.BaseUrl = fixture.Emulator.BaseUrl;
            o.ProjectId = fixture.Emulator.DefaultProjectId;
        });
        await using var provider = services.BuildServiceProvider();

        var session = await provider.GetRequiredService<IMudbaseClient>().Auth.CreateAnonymousAsync(cancellationToken: Ct);

        Assert.Same(session, await store.LoadAsync(Ct));
    }

    private sealed class BearerRecorder : DelegatingHandler
    {
        public ConcurrentQueue<(string Path, string? Authorization)> Seen { get; } = new();

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Seen.Enqueue((request.RequestUri!.AbsolutePath, request.Headers.Authorization?.ToString()));
            return base.SendAsync(request, cancellationToken);
        }
    }
}
