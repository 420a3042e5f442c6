using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Mudbase.Data;
using Mudbase.Emulator;
using Mudbase.Realtime;

namespace Mudbase.Tests.Integration;

/// <summary>
/// The start of a collection watch: the server joins the room and acks, then the SDK fetches the collection. A write that
/// lands in between is both in the fetch and in the feed, and is still news to the consumer.
/// </summary>
public sealed class RealtimeWatchStartTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Holds the first list request of one collection until released, so a test can write before it is served.</summary>
    private sealed class HeldFirstList(string collection) : DelegatingHandler(new SocketsHttpHandler { AllowAutoRedirect = false })
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _served = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _seen;

        public Task Reached => _reached.Task;

        /// <summary>The held request has its answer: the server's state in it is fixed.</summary>
        public Task Served => _served.Task;

        public void Release() => _released.TrySetResult();

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Method == HttpMethod.Get && request.RequestUri!.AbsolutePath.EndsWith($"/collections/{collection}/data", StringComparison.Ordinal)
                && Interlocked.Increment(ref _seen) == 1)
            {
                _reached.TrySetResult();
                await _released.Task.WaitAsync(cancellationToken);
                var answer = await base.SendAsync(request, cancellationToken);
                _served.TrySetResult();
                return answer;
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }

    [Fact]
    public async Task A_document_created_between_the_subscription_and_the_first_fetch_is_yielded_as_created()
    {
        var emulator = fixture.Emulator;
        var name = "start_" + Guid.NewGuid().ToString("N")[..8];
        var grants = new EmulatorCollectionOptions(name);
        grants.Permissions.Add(new EmulatorCollectionGrant("authenticated", "create", "read", "update", "delete"));
        emulator.CreateCollection(grants);

        var held = new HeldFirstList(name);
        await using var watcher = new MudbaseClient(new MudbaseClientOptions { BaseUrl = emulator.BaseUrl, ProjectId = emulator.DefaultProjectId }, held, disposeHandler: true);
        await watcher.Auth.CreateAnonymousAsync(cancellationToken: Ct);
        using var writer = fixture.CreateClient();
        await writer.Auth.CreateAnonymousAsync(cancellationToken: Ct);
        var todos = writer.Data.Collection(name);

        var events = new ConcurrentQueue<CollectionEvent<MudbaseDocument>>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = Task.Run(async () =>
        {
            await foreach (var e in watcher.Data.Collection(name).WatchAsync(cancellationToken: stop.Token))
            {
                events.Enqueue(e);
            }
        }, Ct);

        // The fetch is sent only after the server acked the subscription: from here on, the socket is in the room.
        await held.Reached.WaitAsync(Patience, Ct);
        Assert.Equal(1, emulator.GetRealtimeSubscriberCount(name));
        var early = await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "early" }), Ct);
        held.Release();
        await held.Served.WaitAsync(Patience, Ct);
        var late = await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "late" }), Ct);

        var deadline = DateTime.UtcNow + Patience;
        while (!events.Any(e => e is CollectionEvent<MudbaseDocument>.Created created && created.DocumentId == late.Id))
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for the later document's event; got: " + string.Join(", ", events));
            await Task.Delay(10, Ct);
        }

        Assert.Equal(
            [early.Id, late.Id],
            events.Select(e => Assert.IsType<CollectionEvent<MudbaseDocument>.Created>(e).DocumentId));
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }
}
