using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Mudbase.Data;
using Mudbase.Emulator;
using Mudbase.Realtime;

namespace Mudbase.Tests.Integration;

/// <summary>
/// The start of a watch: the server joins the room and acks, then the SDK fetches the state over REST. Writes that land
/// meanwhile reach the watch twice, in the feed and (some of them) in the fetch: the consumer must see each once, in order,
/// and never a state older than one it was already shown.
/// </summary>
public sealed class RealtimeWatchStartTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MudbaseEmulator Emulator => fixture.Emulator;

    /// <summary>Holds the first request that matches until released, so a test can write before the server answers it.</summary>
    private sealed class HeldRequest(Func<HttpRequestMessage, bool> matches) : DelegatingHandler(new SocketsHttpHandler { AllowAutoRedirect = false })
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
            if (!matches(request) || Interlocked.Increment(ref _seen) != 1)
            {
                return await base.SendAsync(request, cancellationToken);
            }

            _reached.TrySetResult();
            await _released.Task.WaitAsync(cancellationToken);
            var answer = await base.SendAsync(request, cancellationToken);
            _served.TrySetResult();
            return answer;
        }
    }

    /// <summary>The first list request of a collection (a collection watch's fetch).</summary>
    private static Func<HttpRequestMessage, bool> ListOf(string collection) => request =>
        request.Method == HttpMethod.Get && request.RequestUri!.AbsolutePath.EndsWith($"/collections/{collection}/data", StringComparison.Ordinal);

    /// <summary>The first get of one document (a document watch's fetch).</summary>
    private static Func<HttpRequestMessage, bool> GetOf(string documentId) => request =>
        request.Method == HttpMethod.Get && request.RequestUri!.AbsolutePath.EndsWith("/data/" + documentId, StringComparison.Ordinal);

    private string NewCollection()
    {
        var name = "start_" + Guid.NewGuid().ToString("N")[..8];
        var options = new EmulatorCollectionOptions(name);
        options.Permissions.Add(new EmulatorCollectionGrant("authenticated", "create", "read", "update", "delete"));
        Emulator.CreateCollection(options);
        return name;
    }

    private async Task<MudbaseClient> WatcherAsync(HeldRequest held)
    {
        var client = new MudbaseClient(new MudbaseClientOptions { BaseUrl = Emulator.BaseUrl, ProjectId = Emulator.DefaultProjectId }, held, disposeHandler: true);
        await client.Auth.CreateAnonymousAsync(cancellationToken: Ct);
        return client;
    }

    private async Task<MudbaseClient> WriterAsync()
    {
        var client = fixture.CreateClient();
        await client.Auth.CreateAnonymousAsync(cancellationToken: Ct);
        return client;
    }

    private static Task Collect<TItem>(IAsyncEnumerable<TItem> stream, ConcurrentQueue<TItem> into) => Task.Run(async () =>
    {
        await foreach (var item in stream)
        {
            into.Enqueue(item);
        }
    });

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out waiting for " + what);
            await Task.Delay(10, Ct);
        }
    }

    /// <summary>
    /// A watch of another collection on the same connection: the server sends one socket's events in write order and the
    /// SDK dispatches them in that order, so once the probe sees a write made after others, the watch under test has
    /// received those others too.
    /// </summary>
    private sealed class Probe(MudbaseClient watcher, DocumentCollection<MudbaseDocument> writer, CancellationToken stop)
    {
        private readonly ConcurrentQueue<CollectionEvent<MudbaseDocument>> _events = new();
        private Task _run = Task.CompletedTask;

        public async Task StartAsync()
        {
            await writer.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "probe" }), Ct);
            _run = Collect(watcher.Data.Collection(writer.CollectionId).WatchAsync(new WatchOptions { IncludeExisting = true }, stop), _events);
            await WaitUntilAsync(() => !_events.IsEmpty, "the probe to be live");
        }

        public async Task SyncAsync()
        {
            var marker = await writer.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "marker" }), Ct);
            await WaitUntilAsync(() => _events.Any(e => e is CollectionEvent<MudbaseDocument>.Created c && c.DocumentId == marker.Id), "the probe's marker");
        }

        public Task Run => _run;
    }

    [Fact]
    public async Task A_document_created_between_the_subscription_and_the_first_fetch_is_yielded_as_created()
    {
        var name = NewCollection();
        var held = new HeldRequest(ListOf(name));
        await using var watcher = await WatcherAsync(held);
        using var writer = await WriterAsync();
        var todos = writer.Data.Collection(name);
        var events = new ConcurrentQueue<CollectionEvent<MudbaseDocument>>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = Collect(watcher.Data.Collection(name).WatchAsync(cancellationToken: stop.Token), events);

        // The fetch is sent only after the server acked the subscription: from here on, the socket is in the room.
        await held.Reached.WaitAsync(Patience, Ct);
        Assert.Equal(1, Emulator.GetRealtimeSubscriberCount(name));
        var early = await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "early" }), Ct);
        held.Release();
        await held.Served.WaitAsync(Patience, Ct);
        var late = await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "late" }), Ct);

        await WaitUntilAsync(() => events.Any(e => e is CollectionEvent<MudbaseDocument>.Created c && c.DocumentId == late.Id), "the later document's event");
        Assert.Equal([early.Id, late.Id], events.Select(e => Assert.IsType<CollectionEvent<MudbaseDocument>.Created>(e).DocumentId));
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task A_collection_watch_with_the_existing_documents_does_not_replay_changes_its_fetch_already_holds()
    {
        var name = NewCollection();
        var held = new HeldRequest(ListOf(name));
        await using var watcher = await WatcherAsync(held);
        using var writer = await WriterAsync();
        var todos = writer.Data.Collection(name);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var probe = new Probe(watcher, writer.Data.Collection(NewCollection()), stop.Token);
        await probe.StartAsync();

        var events = new ConcurrentQueue<CollectionEvent<MudbaseDocument>>();
        var run = Collect(watcher.Data.Collection(name).WatchAsync(new WatchOptions { IncludeExisting = true }, stop.Token), events);
        await held.Reached.WaitAsync(Patience, Ct);
        var doc = await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "v1" }), Ct);
        await todos.UpdateAsync(doc.Id!, new JsonObject { ["title"] = "v2" }, Ct);
        await probe.SyncAsync(); // both events are with the watch, waiting for its fetch
        held.Release();
        await held.Served.WaitAsync(Patience, Ct);
        var late = await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "late" }), Ct);

        await WaitUntilAsync(() => events.Any(e => e is CollectionEvent<MudbaseDocument>.Created c && c.DocumentId == late.Id), "the later document's event");
        Assert.Collection(events,
            e => Assert.Equal("v2", (string?)Assert.IsType<CollectionEvent<MudbaseDocument>.Created>(e).Document["title"]),
            e => Assert.Equal(late.Id, Assert.IsType<CollectionEvent<MudbaseDocument>.Created>(e).DocumentId));
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => probe.Run);
    }

    [Fact]
    public async Task A_document_watch_never_goes_back_to_a_state_older_than_its_first_snapshot()
    {
        using var writer = await WriterAsync();
        var name = NewCollection();
        var todos = writer.Data.Collection(name);
        var doc = await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "v1" }), Ct);
        var held = new HeldRequest(GetOf(doc.Id!));
        await using var watcher = await WatcherAsync(held);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var probe = new Probe(watcher, writer.Data.Collection(NewCollection()), stop.Token);
        await probe.StartAsync();

        var snapshots = new ConcurrentQueue<DocumentSnapshot<MudbaseDocument>>();
        var run = Collect(watcher.Data.Collection(name).WatchDocumentAsync(doc.Id!, cancellationToken: stop.Token), snapshots);
        await held.Reached.WaitAsync(Patience, Ct);
        await todos.UpdateAsync(doc.Id!, new JsonObject { ["title"] = "v2" }, Ct);
        await todos.UpdateAsync(doc.Id!, new JsonObject { ["title"] = "v3" }, Ct);
        await probe.SyncAsync(); // both events are with the watch, waiting for its fetch
        held.Release();
        await held.Served.WaitAsync(Patience, Ct);
        await todos.UpdateAsync(doc.Id!, new JsonObject { ["title"] = "v4" }, Ct);

        await WaitUntilAsync(() => snapshots.Any(s => (string?)s.Document?["title"] == "v4"), "the snapshot after the fetch");
        Assert.Equal(["v3", "v4"], snapshots.Select(s => (string?)s.Document?["title"]));
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => probe.Run);
    }
}
