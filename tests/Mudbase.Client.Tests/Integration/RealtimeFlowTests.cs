using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Mudbase.Data;
using Mudbase.Diagnostics;
using Mudbase.Emulator;
using Mudbase.Realtime;
using Mudbase.Tests.Support;

namespace Mudbase.Tests.Integration;

/// <summary>Watches end to end: the public client against the emulator's Socket.IO server and document store.</summary>
public sealed class RealtimeFlowTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MudbaseEmulator Emulator => fixture.Emulator;

    private string NewCollection(bool ownRowsOnly = false) => NewCollection(Emulator, ownRowsOnly);

    /// <summary>A fresh collection every signed-in user may use fully (or only their own rows).</summary>
    private static string NewCollection(MudbaseEmulator emulator, bool ownRowsOnly = false)
    {
        var name = "live_" + Guid.NewGuid().ToString("N")[..8];
        var options = new EmulatorCollectionOptions(name);
        options.Permissions.Add(ownRowsOnly
            ? new EmulatorCollectionGrant("authenticated", "create", "read", "update", "delete") { Condition = new JsonObject { ["userId"] = "$userId" } }
            : new EmulatorCollectionGrant("authenticated", "create", "read", "update", "delete"));
        emulator.CreateCollection(options);
        return name;
    }

    private async Task<MudbaseClient> SignedInClientAsync()
    {
        var client = fixture.CreateClient();
        await client.Auth.CreateAnonymousAsync(cancellationToken: Ct);
        return client;
    }

    private async Task WaitForSubscribersAsync(string collection, int count)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(Patience);
        while (Emulator.GetRealtimeSubscriberCount(collection) != count)
        {
            await Task.Delay(10, timeout.Token);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail("Timed out waiting for " + what);
            }

            await Task.Delay(10, Ct);
        }
    }

    private static async Task<Dictionary<string, string>> ServerStateAsync(DocumentCollection<MudbaseDocument> collection)
    {
        var all = new Dictionary<string, string>();
        await foreach (var document in collection.PageSize(100).ToAsyncEnumerable(Ct))
        {
            all[document.Id!] = (string?)document["title"] ?? "";
        }

        return all;
    }

    [Fact]
    public async Task A_collection_stream_sees_what_another_client_creates_updates_and_deletes()
    {
        await using var watcher = await SignedInClientAsync();
        using var writer = await SignedInClientAsync();
        var name = NewCollection();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var mirror = new CollectionMirror();
        var run = mirror.RunAsync(watcher.Data.Collection(name).WatchAsync(cancellationToken: stop.Token));
        await WaitForSubscribersAsync(name, 1);
        Assert.Equal(RealtimeState.Connected, watcher.Realtime.State);

        var todos = writer.Data.Collection(name);
        var first = await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "one" }), Ct);
        var second = await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "two" }), Ct);
        await todos.UpdateAsync(first.Id!, new JsonObject { ["title"] = "one, edited" }, Ct);
        await todos.DeleteAsync(second.Id!, Ct);

        await WaitUntilAsync(() => mirror.Events.Count >= 4, "four events");
        Assert.Collection(mirror.Events,
            e => Assert.Equal("one", (string?)Assert.IsType<CollectionEvent<MudbaseDocument>.Created>(e).Document["title"]),
            e => Assert.Equal(second.Id, Assert.IsType<CollectionEvent<MudbaseDocument>.Created>(e).DocumentId),
            e => Assert.Equal("one, edited", (string?)Assert.IsType<CollectionEvent<MudbaseDocument>.Updated>(e).Document["title"]),
            e => Assert.Equal(second.Id, Assert.IsType<CollectionEvent<MudbaseDocument>.Deleted>(e).DocumentId));
        Assert.Equal(await ServerStateAsync(todos), mirror.Titles());

        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task Leaving_the_stream_unsubscribes_and_closes_the_connection_after_the_last_watch()
    {
        await using var watcher = await SignedInClientAsync();
        var name = NewCollection();
        var states = new ConcurrentQueue<RealtimeState>();
        watcher.Realtime.StateChanged += (_, e) => states.Enqueue(e.Current);
        using var first = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        using var second = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var collection = watcher.Data.Collection(name);
        await collection.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "seen" }), Ct);
        var (mirrorA, mirrorB) = (new CollectionMirror(), new CollectionMirror());
        var a = mirrorA.RunAsync(collection.WatchAsync(new WatchOptions { IncludeExisting = true }, first.Token));
        var b = mirrorB.RunAsync(collection.WatchAsync(new WatchOptions { IncludeExisting = true }, second.Token));
        await WaitUntilAsync(() => !mirrorA.State.IsEmpty && !mirrorB.State.IsEmpty, "both streams to start");
        Assert.Equal(1, Emulator.GetRealtimeSubscriberCount(name));

        // One watch of two leaves: the room stays (one socket, still subscribed).
        first.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => a);
        Assert.Equal(1, Emulator.GetRealtimeSubscriberCount(name));

        second.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => b);
        await WaitForSubscribersAsync(name, 0);
        await WaitUntilAsync(() => watcher.Realtime.State == RealtimeState.Disconnected, "the connection to close");
        Assert.Equal([RealtimeState.Connecting, RealtimeState.Connected, RealtimeState.Disconnected], states);
    }

    [Fact]
    public async Task A_query_stream_keeps_the_whole_result_equal_to_a_rest_query_after_each_change()
    {
        await using var watcher = await SignedInClientAsync();
        using var writer = await SignedInClientAsync();
        var name = NewCollection();
        var todos = writer.Data.Collection(name);
        await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "b", ["priority"] = 2 }), Ct);
        await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "low", ["priority"] = 0 }), Ct);
        var query = watcher.Data.Collection(name).Where(Filter.Gte("priority", 1)).OrderBy("title");
        var snapshots = new ConcurrentQueue<QuerySnapshot<MudbaseDocument>>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = Task.Run(async () =>
        {
            await foreach (var snapshot in query.WatchAsync(cancellationToken: stop.Token))
            {
                snapshots.Enqueue(snapshot);
            }
        }, Ct);

        await WaitUntilAsync(() => !snapshots.IsEmpty, "the first snapshot");
        var initial = snapshots.First();
        Assert.Equal(["b"], initial.Items.Select(d => (string?)d["title"]));
        Assert.Equal(ChangeKind.Added, Assert.Single(initial.Changes).Kind);

        var a = await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "a", ["priority"] = 5 }), Ct);
        await WaitUntilAsync(() => snapshots.Count >= 2, "a snapshot after a create");
        await todos.UpdateAsync(a.Id!, new JsonObject { ["priority"] = 0 }, Ct);
        await WaitUntilAsync(() => snapshots.Count >= 3, "a snapshot after an update that leaves the result");

        var list = snapshots.ToList();
        Assert.Equal(["a", "b"], list[1].Items.Select(d => (string?)d["title"]));
        var added = Assert.Single(list[1].Changes);
        Assert.Equal((ChangeKind.Added, -1, 0), (added.Kind, added.OldIndex, added.NewIndex));
        Assert.Equal(["b"], list[2].Items.Select(d => (string?)d["title"]));
        var removed = Assert.Single(list[2].Changes);
        Assert.Equal((ChangeKind.Removed, a.Id, 0, -1), (removed.Kind, removed.DocumentId, removed.OldIndex, removed.NewIndex));

        var rest = await query.GetPageAsync(cancellationToken: Ct);
        Assert.Equal(rest.Items.Select(d => d.Id), list[2].Items.Select(d => d.Id));
        // A write outside the result changes nothing the consumer sees.
        await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "outside", ["priority"] = 0 }), Ct);
        await Task.Delay(200, Ct);
        Assert.Equal(3, snapshots.Count);
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task A_document_stream_starts_with_its_state_and_follows_it_to_its_deletion()
    {
        await using var watcher = await SignedInClientAsync();
        using var writer = await SignedInClientAsync();
        var name = NewCollection();
        var todos = writer.Data.Collection(name);
        var doc = await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "v1" }), Ct);
        var other = await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "other" }), Ct);
        var snapshots = new ConcurrentQueue<DocumentSnapshot<MudbaseDocument>>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var run = Task.Run(async () =>
        {
            await foreach (var snapshot in watcher.Data.Collection(name).WatchDocumentAsync(doc.Id!, cancellationToken: stop.Token))
            {
                snapshots.Enqueue(snapshot);
            }
        }, Ct);

        await WaitUntilAsync(() => !snapshots.IsEmpty, "the first snapshot");
        await WaitForSubscribersAsync(name, 1);
        await todos.UpdateAsync(other.Id!, new JsonObject { ["title"] = "not this one" }, Ct);
        await todos.UpdateAsync(doc.Id!, new JsonObject { ["title"] = "v2" }, Ct);
        await todos.DeleteAsync(doc.Id!, Ct);
        await WaitUntilAsync(() => snapshots.Count >= 3, "three snapshots");

        Assert.Collection(snapshots,
            s => Assert.Equal("v1", (string?)s.Document!["title"]),
            s => Assert.Equal("v2", (string?)s.Document!["title"]),
            s => Assert.False(s.Exists));
        Assert.All(snapshots, s => Assert.False(s.IsResync));
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task Another_users_private_documents_never_arrive()
    {
        await using var watcher = await SignedInClientAsync();
        using var stranger = await SignedInClientAsync();
        var name = NewCollection(ownRowsOnly: true);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var mirror = new CollectionMirror();
        var run = mirror.RunAsync(watcher.Data.Collection(name).WatchAsync(cancellationToken: stop.Token));
        await WaitForSubscribersAsync(name, 1);

        await stranger.Data.Collection(name).CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "secret" }), Ct);
        var mine = await watcher.Data.Collection(name).CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "mine" }), Ct);

        await WaitUntilAsync(() => !mirror.Events.IsEmpty, "the watcher's own document");
        await Task.Delay(200, Ct);
        var only = Assert.Single(mirror.Events);
        Assert.Equal(mine.Id, Assert.IsType<CollectionEvent<MudbaseDocument>.Created>(only).DocumentId);
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task Writes_made_while_the_connection_was_down_arrive_as_one_resync_and_the_consumer_ends_with_the_servers_state()
    {
        await using var watcher = await SignedInClientAsync();
        using var writer = await SignedInClientAsync();
        var name = NewCollection();
        var todos = writer.Data.Collection(name);
        var existing = new List<MudbaseDocument>();
        for (var i = 0; i < 10; i++)
        {
            existing.Add(await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "old " + i }), Ct));
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var mirror = new CollectionMirror();
        var run = mirror.RunAsync(watcher.Data.Collection(name).WatchAsync(new WatchOptions { IncludeExisting = true }, stop.Token));
        await WaitUntilAsync(() => mirror.State.Count == 10, "the existing documents");

        // The link dies, and stays down while 50 writes happen.
        var states = new ConcurrentQueue<RealtimeState>();
        watcher.Realtime.StateChanged += (_, e) => states.Enqueue(e.Current);
        var refusal = Emulator.RefuseRealtimeConnections();
        Assert.True(Emulator.DropRealtimeConnections() >= 1);
        for (var i = 0; i < 40; i++)
        {
            await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "missed " + i }), Ct);
        }

        for (var i = 0; i < 5; i++)
        {
            await todos.UpdateAsync(existing[i].Id!, new JsonObject { ["title"] = "changed " + i }, Ct);
            await todos.DeleteAsync(existing[5 + i].Id!, Ct);
        }

        await WaitUntilAsync(() => mirror.Count<CollectionEvent<MudbaseDocument>.Disconnected>() >= 1, "the stream to report the lost connection");
        refusal.Dispose();
        await WaitUntilAsync(() => mirror.Count<CollectionEvent<MudbaseDocument>.Resynced>() >= 1, "the resync");
        await WaitUntilAsync(() => mirror.State.Count == 45, "the consumer's state to be whole");
        Assert.Equal(await ServerStateAsync(todos), mirror.Titles());
        Assert.Equal(1, mirror.Count<CollectionEvent<MudbaseDocument>.Resynced>());
        Assert.Equal(1, mirror.Count<CollectionEvent<MudbaseDocument>.Disconnected>());
        var resynced = mirror.Events.OfType<CollectionEvent<MudbaseDocument>.Resynced>().Single();
        Assert.Equal(50, resynced.Missed.Count);
        Assert.Equal(40, resynced.Missed.Count(c => c.Kind == ChangeKind.Added));
        Assert.Equal(5, resynced.Missed.Count(c => c.Kind == ChangeKind.Modified));
        Assert.Equal(5, resynced.Missed.Count(c => c.Kind == ChangeKind.Removed));
        Assert.Contains(RealtimeState.Reconnecting, states);
        Assert.Equal(RealtimeState.Connected, watcher.Realtime.State);

        // And the stream goes on after the resync.
        await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "after" }), Ct);
        await WaitUntilAsync(() => mirror.State.Count == 46, "a write after the resync");
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task Watching_without_a_signed_in_user_ends_the_stream_with_an_authentication_error()
    {
        using var client = fixture.CreateClient();
        var name = NewCollection();

        var error = await Assert.ThrowsAsync<MudbaseAuthenticationException>(async () =>
        {
            await foreach (var _ in client.Data.Collection(name).WatchAsync(cancellationToken: Ct))
            {
            }
        });
        Assert.Contains("signed-in user", error.Message);
        Assert.Equal(RealtimeState.Disconnected, client.Realtime.State);
    }

    [Fact]
    public async Task Watching_a_collection_the_user_may_not_read_ends_the_stream_with_a_forbidden_error()
    {
        await using var client = await SignedInClientAsync();
        var name = "closed_" + Guid.NewGuid().ToString("N")[..8];
        Emulator.CreateCollection(new EmulatorCollectionOptions(name));

        await Assert.ThrowsAsync<MudbaseForbiddenException>(async () =>
        {
            await foreach (var _ in client.Data.Collection(name).WatchAsync(cancellationToken: Ct))
            {
            }
        });
    }

    [Fact]
    public void Bad_watch_options_fail_at_once_with_the_parameters_name()
    {
        using var client = fixture.CreateClient();
        var collection = client.Data.Collection("todos");

        Assert.Equal("options", Assert.Throws<ArgumentOutOfRangeException>(() => collection.WatchAsync(new WatchOptions { BufferCapacity = 0 }, Ct)).ParamName);
        Assert.Equal("options", Assert.Throws<ArgumentOutOfRangeException>(() => collection.OrderBy("title").WatchAsync(new WatchOptions { Overflow = (RealtimeOverflow)9 }, Ct)).ParamName);
        Assert.Equal("documentId", Assert.Throws<ArgumentException>(() => collection.WatchDocumentAsync(" ", cancellationToken: Ct)).ParamName);
    }

    [Fact]
    public async Task A_slow_consumer_under_ten_thousand_updates_ends_with_every_documents_final_state_and_an_overflow_count()
    {
        await using var watcher = await SignedInClientAsync();
        using var server = new MudbaseClient(new MudbaseClientOptions { BaseUrl = Emulator.BaseUrl, ProjectId = Emulator.DefaultProjectId, ApiKey = Emulator.ApiKey });
        var name = NewCollection();
        var todos = server.Data.Collection(name);
        var ids = new string[100];
        for (var i = 0; i < ids.Length; i++)
        {
            ids[i] = (await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "0" }), Ct)).Id!;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var mirror = new CollectionMirror();
        var overflowed = 0L;
        var slow = Task.Run(async () =>
        {
            await foreach (var e in watcher.Data.Collection(name).WatchAsync(new WatchOptions { BufferCapacity = 64, IncludeExisting = true }, stop.Token))
            {
                mirror.Apply(e);
                if (e is CollectionEvent<MudbaseDocument>.Overflowed o)
                {
                    Interlocked.Add(ref overflowed, o.Coalesced);
                }

                await Task.Delay(1, stop.Token); // far slower than the feed
            }
        }, Ct);
        await WaitUntilAsync(() => mirror.State.Count == 100, "the existing documents");

        // 100 rounds over the 100 documents, by four writers at once: 10,000 updates.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(writer => Task.Run(async () =>
        {
            for (var round = 1; round <= 100; round++)
            {
                for (var i = writer; i < ids.Length; i += 4)
                {
                    await todos.UpdateAsync(ids[i], new JsonObject { ["title"] = round.ToString(System.Globalization.CultureInfo.InvariantCulture) }, Ct);
                }
            }
        }, Ct)));

        await WaitUntilAsync(() => mirror.State.Values.All(d => (string?)d["title"] == "100"), "every document's final state");
        Assert.Equal(await ServerStateAsync(todos), mirror.Titles());
        Assert.True(Interlocked.Read(ref overflowed) > 0, "the consumer was told how many events were merged");
        // Not asserted: no Resynced. A machine too busy to keep up may also see the server drop the connection (its
        // outbound queue is bounded); a Resynced heals that, and the final state above holds either way.
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => slow);
    }

    [Fact]
    public async Task A_token_that_expired_while_connected_is_refreshed_before_the_reconnect_and_never_sent_stale()
    {
        await using var emulator = await MudbaseEmulator.StartAsync(
            new MudbaseEmulatorOptions { EnableRateLimits = false, AccessTokenLifetime = TimeSpan.FromSeconds(3) }, Ct);
        using var logs = new CapturingLoggerProvider();
        await using var watcher = new MudbaseClient(new MudbaseClientOptions
        {
            BaseUrl = emulator.BaseUrl,
            ProjectId = emulator.DefaultProjectId,
            LoggerFactory = logs.CreateFactory(),
            Realtime = { ReconnectDelay = TimeSpan.FromMilliseconds(100) },
        });
        var session = await watcher.Auth.CreateAnonymousAsync(cancellationToken: Ct);
        var refreshes = 0;
        watcher.Auth.SessionChanged += (_, e) =>
        {
            if (e.Reason == Auth.SessionChangeReason.Refreshed)
            {
                Interlocked.Increment(ref refreshes);
            }
        };
        var name = NewCollection(emulator);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var mirror = new CollectionMirror();
        var run = mirror.RunAsync(watcher.Data.Collection(name).WatchAsync(cancellationToken: stop.Token));
        while (emulator.GetRealtimeSubscriberCount(name) != 1)
        {
            await Task.Delay(10, Ct);
        }

        // The token expires while the link is up (the server checks it only at the handshake), then the link drops.
        await Task.Delay(session.ExpiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(500), Ct);
        Assert.Equal(0, refreshes);
        emulator.DropRealtimeConnections();

        await WaitUntilAsync(() => mirror.Count<CollectionEvent<MudbaseDocument>.Resynced>() == 1, "the resync after the reconnect");
        Assert.Equal(1, refreshes);
        Assert.DoesNotContain(logs.Lines, line => line.EventId.Id == 44); // never refused: the stale token was not sent
        await using var writer = new MudbaseClient(new MudbaseClientOptions { BaseUrl = emulator.BaseUrl, ProjectId = emulator.DefaultProjectId, ApiKey = emulator.ApiKey });
        var created = await writer.Data.Collection(name).CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "after" }), Ct);
        await WaitUntilAsync(() => mirror.State.ContainsKey(created.Id!), "a write after the reconnect");
        // No log line carries a token.
        Assert.DoesNotContain(logs.Lines, line => line.Message.Contains(session.Token, StringComparison.Ordinal));
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task A_session_that_ends_on_the_server_ends_the_streams_with_an_authentication_error()
    {
        using var logs = new CapturingLoggerProvider();
        await using var watcher = new MudbaseClient(new MudbaseClientOptions
        {
            BaseUrl = Emulator.BaseUrl,
            ProjectId = Emulator.DefaultProjectId,
            LoggerFactory = logs.CreateFactory(),
            Realtime = { ReconnectDelay = TimeSpan.FromMilliseconds(50) },
        });
        var session = await watcher.Auth.CreateAnonymousAsync(cancellationToken: Ct);
        var name = NewCollection();
        await watcher.Data.Collection(name).CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "seen" }), Ct);
        var mirror = new CollectionMirror();
        var run = mirror.RunAsync(watcher.Data.Collection(name).WatchAsync(new WatchOptions { IncludeExisting = true }, Ct));
        await WaitUntilAsync(() => !mirror.State.IsEmpty, "the stream to start");

        // Another device signs the session out on the server: its tokens no longer open a connection, nor refresh.
        await watcher.WithSession(session).Auth.LogoutAsync(Ct);
        Emulator.DropRealtimeConnections();

        await Assert.ThrowsAsync<MudbaseAuthenticationException>(() => run);
        Assert.Equal(RealtimeState.Disconnected, watcher.Realtime.State);
        Assert.Contains(mirror.Events, e => e is CollectionEvent<MudbaseDocument>.Disconnected);
    }

    [Fact]
    public async Task A_link_that_goes_silent_is_noticed_by_the_ping_timeout_and_healed_by_a_resync()
    {
        await using var emulator = await MudbaseEmulator.StartAsync(new MudbaseEmulatorOptions
        {
            EnableRateLimits = false,
            RealtimePingInterval = TimeSpan.FromMilliseconds(200),
            RealtimePingTimeout = TimeSpan.FromMilliseconds(300),
        }, Ct);
        await using var watcher = new MudbaseClient(new MudbaseClientOptions
        {
            BaseUrl = emulator.BaseUrl,
            ProjectId = emulator.DefaultProjectId,
            Realtime = { ReconnectDelay = TimeSpan.FromMilliseconds(50) },
        });
        await watcher.Auth.CreateAnonymousAsync(cancellationToken: Ct);
        var name = NewCollection(emulator);
        await using var writer = new MudbaseClient(new MudbaseClientOptions { BaseUrl = emulator.BaseUrl, ProjectId = emulator.DefaultProjectId, ApiKey = emulator.ApiKey });
        var todos = writer.Data.Collection(name);
        await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "before" }), Ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var mirror = new CollectionMirror();
        var run = mirror.RunAsync(watcher.Data.Collection(name).WatchAsync(new WatchOptions { IncludeExisting = true }, stop.Token));
        await WaitUntilAsync(() => mirror.State.Count == 1, "the stream to start");

        // Half-open: the socket stays up, nothing arrives. Writes meanwhile are not delivered on it.
        Assert.Equal(1, emulator.StallRealtimeConnections());
        var during = await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "while silent" }), Ct);

        await WaitUntilAsync(() => mirror.Count<CollectionEvent<MudbaseDocument>.Resynced>() == 1, "the resync");
        var disconnected = Assert.Single(mirror.Events.OfType<CollectionEvent<MudbaseDocument>.Disconnected>());
        Assert.Contains("silent link", Assert.IsType<MudbaseTransportException>(disconnected.Reason).Message, StringComparison.Ordinal);
        var missed = Assert.Single(mirror.Events.OfType<CollectionEvent<MudbaseDocument>.Resynced>().Single().Missed);
        Assert.Equal((ChangeKind.Added, during.Id), (missed.Kind, missed.DocumentId));
        Assert.Equal(await ServerStateAsync(todos), mirror.Titles());
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }

    [Fact]
    public async Task A_connection_attempt_is_an_activity_and_events_and_reconnects_are_counted_on_the_meter()
    {
        var connects = new ConcurrentQueue<System.Diagnostics.Activity>();
        using var activities = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == MudbaseDiagnostics.Name,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllData,
            ActivityStopped = activity =>
            {
                if (activity.OperationName == "mudbase.realtime.connect")
                {
                    connects.Enqueue(activity);
                }
            },
        };
        System.Diagnostics.ActivitySource.AddActivityListener(activities);
        var counted = new ConcurrentDictionary<string, long>();
        using var meters = new System.Diagnostics.Metrics.MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == MudbaseDiagnostics.Name && instrument.Name.StartsWith("mudbase.realtime.", StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, _, _) => counted.AddOrUpdate(instrument.Name, value, (_, n) => n + value));
        meters.Start();

        await using var watcher = await SignedInClientAsync();
        using var writer = await SignedInClientAsync();
        var name = NewCollection();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var mirror = new CollectionMirror();
        var run = mirror.RunAsync(watcher.Data.Collection(name).WatchAsync(cancellationToken: stop.Token));
        await WaitForSubscribersAsync(name, 1);
        await writer.Data.Collection(name).CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "counted" }), Ct);
        await WaitUntilAsync(() => !mirror.Events.IsEmpty, "the event");
        Emulator.DropRealtimeConnections();
        await WaitUntilAsync(() => counted.GetValueOrDefault("mudbase.realtime.reconnects") >= 1, "a reconnect to be counted");

        Assert.True(counted.GetValueOrDefault("mudbase.realtime.events") >= 1);
        Assert.Contains(connects, activity => activity.Kind == System.Diagnostics.ActivityKind.Client && activity.Status != System.Diagnostics.ActivityStatusCode.Error);
        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
    }
}
