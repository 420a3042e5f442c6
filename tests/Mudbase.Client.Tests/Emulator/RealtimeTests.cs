using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Mudbase.Emulator;

namespace Mudbase.Tests.Emulator;

/// <summary>The emulator's Socket.IO server, spoken to by hand over a WebSocket: what crossed the wire.</summary>
public sealed class RealtimeTests(DataEmulatorFixture fixture) : IClassFixture<DataEmulatorFixture>
{
    private MudbaseEmulator Emulator => fixture.Emulator;

    private DataApi Api => fixture.Api;

    private string Project => Emulator.DefaultProjectId;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // Every signed-in user may read and write the rows they own, and only those.
    private string PrivateCollection()
    {
        var options = new EmulatorCollectionOptions(DataApi.NewName("notes"));
        options.Permissions.Add(new EmulatorCollectionGrant("authenticated", "create", "read", "update", "delete")
        {
            Condition = new JsonObject { ["userId"] = "$userId" },
        });
        Emulator.CreateCollection(options);
        return options.Name;
    }

    private string SharedCollection()
    {
        var options = new EmulatorCollectionOptions(DataApi.NewName("todos"));
        options.Permissions.Add(new EmulatorCollectionGrant("authenticated", "create", "read", "update", "delete"));
        Emulator.CreateCollection(options);
        return options.Name;
    }

    private async Task<JsonElement> SubscribeAsync(RealtimeSocket socket, string collection)
    {
        var id = await socket.EmitAsync("subscribe:collection", $$"""{"projectId":"{{Project}}","collectionId":"{{collection}}"}""");
        var ack = await socket.NextAckAsync(id);
        return ack[0];
    }

    [Fact]
    public async Task The_handshake_sends_the_open_packet_then_connects_a_valid_token()
    {
        var guest = await Api.GuestAsync();
        await using var socket = await RealtimeSocket.OpenAsync(Emulator);

        var open = await socket.NextAsync();
        await socket.SendAsync($$"""40{"token":"{{guest.Token}}"}""");
        var connected = await socket.NextAsync();

        Assert.StartsWith("0{", open);
        var body = JsonDocument.Parse(open[1..]).RootElement;
        Assert.Equal(["sid", "upgrades", "pingInterval", "pingTimeout", "maxPayload"], body.EnumerateObject().Select(p => p.Name));
        Assert.False(string.IsNullOrEmpty(body.GetProperty("sid").GetString()));
        Assert.Equal(0, body.GetProperty("upgrades").GetArrayLength());
        Assert.Equal(25000, body.GetProperty("pingInterval").GetInt32());
        Assert.Equal(20000, body.GetProperty("pingTimeout").GetInt32());
        Assert.Equal(1_000_000, body.GetProperty("maxPayload").GetInt32());
        Assert.StartsWith("40{\"sid\":\"", connected);
        Assert.NotEqual(body.GetProperty("sid").GetString(), JsonDocument.Parse(connected[2..]).RootElement.GetProperty("sid").GetString());
    }

    [Theory]
    [InlineData("""40{"token":"not-a-jwt"}""")]
    [InlineData("40")]
    [InlineData("""40{}""")]
    public async Task A_bad_or_missing_token_is_refused_with_an_authentication_error(string connect)
    {
        await using var socket = await RealtimeSocket.OpenAsync(Emulator);
        await socket.NextAsync();

        await socket.SendAsync(connect);

        Assert.Equal("""44{"message":"Authentication error"}""", await socket.NextAsync());
    }

    [Fact]
    public async Task A_refused_socket_hears_nothing_and_may_connect_again_with_a_good_token()
    {
        var guest = await Api.GuestAsync();
        var todos = SharedCollection();
        await using var socket = await RealtimeSocket.OpenAsync(Emulator);
        await socket.NextAsync();
        await socket.SendAsync("""40{"token":"bad"}""");
        await socket.NextAsync();

        await socket.EmitAsync("subscribe:collection", $$"""{"projectId":"{{Project}}","collectionId":"{{todos}}"}""");
        await Api.SeedAsync(Project, todos, """{"title":"unseen"}""");
        var beforeConnect = await socket.EventsWithinAsync(TimeSpan.FromMilliseconds(300));
        await socket.SendAsync($$"""40{"token":"{{guest.Token}}"}""");

        Assert.Empty(beforeConnect);
        Assert.StartsWith("40{\"sid\":", await socket.NextAsync());
    }

    [Fact]
    public async Task A_bearer_header_on_the_upgrade_authenticates_a_connect_without_a_token()
    {
        var guest = await Api.GuestAsync();
        await using var socket = await RealtimeSocket.OpenAsync(Emulator, bearer: guest.Token);
        await socket.NextAsync();

        await socket.SendAsync("40");

        Assert.StartsWith("40{\"sid\":", await socket.NextAsync());
    }

    [Fact]
    public async Task Polling_is_refused_with_transport_unknown()
    {
        using var http = new HttpClient { BaseAddress = Emulator.BaseUrl };

        using var polling = await http.GetAsync("socket.io/?EIO=4&transport=polling", Ct);
        using var post = await http.PostAsync("socket.io/?EIO=4&transport=polling&sid=abc", new StringContent("40"), Ct);
        using var oldProtocol = await http.GetAsync("socket.io/?EIO=3&transport=websocket", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, polling.StatusCode);
        Assert.Equal("""{"code":0,"message":"Transport unknown"}""", await polling.Content.ReadAsStringAsync(Ct));
        Assert.Equal("""{"code":0,"message":"Transport unknown"}""", await post.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.BadRequest, oldProtocol.StatusCode);
        Assert.Equal("""{"code":5,"message":"Unsupported protocol version"}""", await oldProtocol.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task Subscribing_to_a_collection_acks_and_emits_subscribed_with_the_collection_id()
    {
        var guest = await Api.GuestAsync();
        var todos = SharedCollection();
        await using var socket = await RealtimeSocket.ConnectAsync(Emulator, guest.Token!);

        var ack = await SubscribeAsync(socket, todos);
        var subscribed = await socket.NextEventAsync("subscribed");

        Assert.Equal("collection", ack.GetProperty("type").GetString());
        Assert.Equal(Project, ack.GetProperty("projectId").GetString());
        Assert.Matches("^[0-9a-f]{24}$", ack.GetProperty("id").GetString());
        Assert.Equal(ack.GetRawText(), subscribed.GetRawText());
        Assert.Equal(1, Emulator.GetRealtimeSubscriberCount(todos));
        Assert.Equal(1, Emulator.GetRealtimeSubscriberCount(ack.GetProperty("id").GetString()!));
    }

    [Fact]
    public async Task A_subscription_to_an_unknown_or_forbidden_collection_is_refused()
    {
        var guest = await Api.GuestAsync();
        var closed = new EmulatorCollectionOptions(DataApi.NewName("staff"));
        closed.Permissions.Add(new EmulatorCollectionGrant("admin", "read"));
        Emulator.CreateCollection(closed);
        await using var socket = await RealtimeSocket.ConnectAsync(Emulator, guest.Token!);

        var unknown = await socket.EmitAsync("subscribe:collection", $$"""{"projectId":"{{Project}}","collectionId":"nope"}""");
        var unknownAck = await socket.NextAckAsync(unknown);
        var forbidden = await socket.EmitAsync("subscribe:collection", $$"""{"projectId":"{{Project}}","collectionId":"{{closed.Name}}"}""");
        var forbiddenAck = await socket.NextAckAsync(forbidden);
        var otherProject = await socket.EmitAsync("subscribe:collection", $$"""{"projectId":"{{Emulator.NoVerificationProjectId}}","collectionId":"{{closed.Name}}"}""");
        var otherProjectAck = await socket.NextAckAsync(otherProject);

        Assert.Equal("""[{"error":"Collection not found"}]""", unknownAck.GetRawText());
        Assert.Equal("""[{"error":"Insufficient permissions"}]""", forbiddenAck.GetRawText());
        Assert.Equal("""[{"error":"Access denied"}]""", otherProjectAck.GetRawText());
        Assert.Equal(0, Emulator.GetRealtimeSubscriberCount(closed.Name));
    }

    [Fact]
    public async Task A_rest_write_reaches_its_owner_and_not_another_user_for_a_private_document()
    {
        var notes = PrivateCollection();
        var alice = await Api.GuestAsync();
        var bob = await Api.GuestAsync();
        await using var aliceSocket = await RealtimeSocket.ConnectAsync(Emulator, alice.Token!);
        await using var bobSocket = await RealtimeSocket.ConnectAsync(Emulator, bob.Token!);
        var collectionId = (await SubscribeAsync(aliceSocket, notes)).GetProperty("id").GetString();
        await SubscribeAsync(bobSocket, notes);

        var created = await Api.CreateAsync(Project, notes, alice, """{"title":"alice's secret"}""");
        var aliceEvent = await aliceSocket.NextEventAsync("db:create");
        // Events are delivered in write order, so Bob's first db event being his own proves Alice's never came.
        await Api.CreateAsync(Project, notes, bob, """{"title":"bob's"}""");
        var bobEvent = await bobSocket.NextEventAsync("db:create");
        var aliceId = created.Data.GetProperty("_id").GetString()!;
        await Api.DeleteAsync(Project, notes, aliceId, alice);
        var aliceDelete = await aliceSocket.NextEventAsync("db:delete");
        var bobLater = await bobSocket.EventsWithinAsync(TimeSpan.FromMilliseconds(300));

        Assert.Equal(Project, aliceEvent.GetProperty("projectId").GetString());
        Assert.Equal(collectionId, aliceEvent.GetProperty("collectionId").GetString());
        Assert.Equal("create", aliceEvent.GetProperty("action").GetString());
        Assert.Equal(created.Data.GetRawText(), aliceEvent.GetProperty("data").GetRawText());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", aliceEvent.GetProperty("timestamp").GetString());
        Assert.Equal("bob's", bobEvent.GetProperty("data").GetProperty("title").GetString());
        Assert.Equal($$"""{"_id":"{{aliceId}}","id":"{{aliceId}}"}""", aliceDelete.GetProperty("data").GetRawText());
        Assert.Equal("delete", aliceDelete.GetProperty("action").GetString());
        Assert.DoesNotContain(bobLater, e => e.Name.StartsWith("db:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Updates_are_delivered_with_the_full_document()
    {
        var todos = SharedCollection();
        var guest = await Api.GuestAsync();
        var id = await Api.SeedAsync(Project, todos, """{"title":"draft","done":false}""");
        await using var socket = await RealtimeSocket.ConnectAsync(Emulator, guest.Token!);
        await SubscribeAsync(socket, todos);

        await Api.PatchAsync(Project, todos, id, Api.Key(), """{"done":true}""");
        var update = await socket.NextEventAsync("db:update");

        Assert.Equal("update", update.GetProperty("action").GetString());
        Assert.Equal("draft", update.GetProperty("data").GetProperty("title").GetString());
        Assert.True(update.GetProperty("data").GetProperty("done").GetBoolean());
    }

    [Fact]
    public async Task After_unsubscribing_no_more_events_arrive_and_the_room_is_empty()
    {
        var todos = SharedCollection();
        var guest = await Api.GuestAsync();
        await using var socket = await RealtimeSocket.ConnectAsync(Emulator, guest.Token!);
        await SubscribeAsync(socket, todos);
        var before = Emulator.GetRealtimeSubscriberCount(todos);

        var id = await socket.EmitAsync("unsubscribe:collection", $$"""{"collectionId":"{{todos}}"}""");
        await socket.NextAckAsync(id);
        var after = Emulator.GetRealtimeSubscriberCount(todos);
        await Api.SeedAsync(Project, todos, """{"title":"missed"}""");
        await SubscribeAsync(socket, todos);
        await Api.SeedAsync(Project, todos, """{"title":"seen"}""");
        var next = await socket.NextEventAsync("db:create");

        Assert.Equal(1, before);
        Assert.Equal(0, after);
        Assert.Equal("seen", next.GetProperty("data").GetProperty("title").GetString());
    }

    [Fact]
    public async Task A_query_subscription_sends_the_result_now_and_after_each_write()
    {
        var todos = SharedCollection();
        var guest = await Api.GuestAsync();
        await Api.SeedAsync(Project, todos, """{"title":"a","status":"open","rank":2}""");
        await Api.SeedAsync(Project, todos, """{"title":"b","status":"closed","rank":1}""");
        await using var socket = await RealtimeSocket.ConnectAsync(Emulator, guest.Token!);

        var ackId = await socket.EmitAsync("subscribe:query", $$$"""
            {"projectId":"{{{Project}}}","collectionId":"{{{todos}}}","queryId":"q1","query":{"filter":{"status":"open"},"sort":"rank"}}
            """);
        var ack = await socket.NextAckAsync(ackId);
        var first = await socket.NextEventAsync("query:change");
        await Api.SeedAsync(Project, todos, """{"title":"c","status":"open","rank":1}""");
        var second = await socket.NextEventAsync("query:change");
        await Api.SeedAsync(Project, todos, """{"title":"d","status":"closed","rank":0}""");
        var third = await socket.NextEventAsync("query:change");
        var unsubscribe = await socket.EmitAsync("unsubscribe:query", """{"queryId":"q1"}""");
        await socket.NextAckAsync(unsubscribe);
        await Api.SeedAsync(Project, todos, """{"title":"e","status":"open"}""");
        var afterUnsubscribe = await socket.EventsWithinAsync(TimeSpan.FromMilliseconds(300));

        static string[] Titles(JsonElement change) => [.. change.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("title").GetString()!)];
        Assert.Equal("query", ack[0].GetProperty("type").GetString());
        Assert.Equal("q1", ack[0].GetProperty("id").GetString());
        Assert.Equal("q1", first.GetProperty("queryId").GetString());
        Assert.Equal(Project, first.GetProperty("projectId").GetString());
        Assert.Matches("^[0-9a-f]{24}$", first.GetProperty("collectionId").GetString());
        Assert.Equal(["a"], Titles(first));
        Assert.Equal(["c", "a"], Titles(second));
        Assert.Equal(["c", "a"], Titles(third));
        Assert.DoesNotContain(afterUnsubscribe, e => e.Name == "query:change");
    }

    [Fact]
    public async Task A_query_given_as_a_bare_filter_keeps_private_rows_private()
    {
        var notes = PrivateCollection();
        var alice = await Api.GuestAsync();
        var bob = await Api.GuestAsync();
        await Api.CreateAsync(Project, notes, alice, """{"title":"alice","tag":"x"}""");
        await using var socket = await RealtimeSocket.ConnectAsync(Emulator, bob.Token!);

        await socket.EmitAsync("subscribe:query", $$$"""{"projectId":"{{{Project}}}","collectionId":"{{{notes}}}","queryId":"mine","query":{"tag":"x"}}""", withAck: false);
        var first = await socket.NextEventAsync("query:change");
        await Api.CreateAsync(Project, notes, bob, """{"title":"bob","tag":"x"}""");
        var second = await socket.NextEventAsync("query:change");

        Assert.Equal(0, first.GetProperty("documents").GetArrayLength());
        Assert.Equal(["bob"], second.GetProperty("documents").EnumerateArray().Select(d => d.GetProperty("title").GetString()));
    }

    [Fact]
    public async Task Malformed_subscriptions_are_refused_and_the_socket_stays_usable()
    {
        var todos = SharedCollection();
        var guest = await Api.GuestAsync();
        await using var socket = await RealtimeSocket.ConnectAsync(Emulator, guest.Token!);

        var asString = await socket.EmitAsync("subscribe:query", $"\"{todos}\"");
        var asStringAck = await socket.NextAckAsync(asString);
        var badLimit = await socket.EmitAsync("subscribe:query", $$$"""{"collectionId":"{{{todos}}}","queryId":"q","query":{"filter":{},"limit":"ten"}}""");
        var badLimitAck = await socket.NextAckAsync(badLimit);
        var badOperator = await socket.EmitAsync("subscribe:query", $$$$"""{"collectionId":"{{{{todos}}}}","queryId":"r","query":{"title":{"$regex":"a"}}}""");
        var badOperatorAck = await socket.NextAckAsync(badOperator);
        await socket.SendAsync("42[\"subscribe:collection\",");
        var collectionAck = await SubscribeAsync(socket, todos);

        Assert.Equal("""[{"error":"subscribe:query takes {projectId, collectionId, queryId, query}"}]""", asStringAck.GetRawText());
        Assert.Equal("query", badLimitAck[0].GetProperty("type").GetString());
        Assert.Equal("""[{"error":"Invalid input: Invalid query: Operator $regex is not allowed"}]""", badOperatorAck.GetRawText());
        Assert.Equal("collection", collectionAck.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_project_subscription_hears_every_collection_of_the_project()
    {
        var todos = SharedCollection();
        var guest = await Api.GuestAsync();
        await using var socket = await RealtimeSocket.ConnectAsync(Emulator, guest.Token!);

        var id = await socket.EmitAsync("subscribe:project", $"\"{Project}\"");
        var ack = await socket.NextAckAsync(id);
        await Api.SeedAsync(Project, todos, """{"title":"anywhere"}""");
        var created = await socket.NextEventAsync("db:create");

        Assert.Equal($$"""[{"type":"project","id":"{{Project}}","projectId":"{{Project}}"}]""", ack.GetRawText());
        Assert.Equal("anywhere", created.GetProperty("data").GetProperty("title").GetString());
    }

    [Fact]
    public async Task An_event_with_an_ack_id_the_server_does_not_know_is_acked_empty()
    {
        var guest = await Api.GuestAsync();
        await using var socket = await RealtimeSocket.ConnectAsync(Emulator, guest.Token!);

        var id = await socket.EmitAsync("presence:online", "{}");

        Assert.Equal("[]", (await socket.NextAckAsync(id)).GetRawText());
    }

    [Fact]
    public async Task Dropping_the_connections_closes_every_socket()
    {
        var guest = await Api.GuestAsync();
        await using var socket = await RealtimeSocket.ConnectAsync(Emulator, guest.Token!);

        var dropped = Emulator.DropRealtimeConnections();

        await socket.Closed.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        Assert.True(dropped >= 1);
    }

    [Fact]
    public async Task Ping_settings_out_of_range_are_refused_naming_the_option()
    {
        var interval = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => MudbaseEmulator.StartAsync(new MudbaseEmulatorOptions { RealtimePingInterval = TimeSpan.Zero }, Ct));
        var timeout = await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => MudbaseEmulator.StartAsync(new MudbaseEmulatorOptions { RealtimePingTimeout = TimeSpan.FromDays(30) }, Ct));

        Assert.Equal("RealtimePingInterval", interval.ParamName);
        Assert.Equal("RealtimePingTimeout", timeout.ParamName);
    }
}

/// <summary>The ping loop, with short intervals: its own emulator, since the intervals are per emulator.</summary>
public sealed class RealtimePingTests() : RealtimeEmulatorTests(new MudbaseEmulatorOptions
{
    RealtimePingInterval = TimeSpan.FromMilliseconds(150),
    RealtimePingTimeout = TimeSpan.FromMilliseconds(150),
})
{
    [Fact]
    public async Task A_socket_that_answers_pings_stays_connected_and_pings_keep_their_period()
    {
        var guest = await Api.GuestAsync();
        await using var socket = await RealtimeSocket.ConnectAsync(Emulator, guest.Token!);
        var started = DateTime.UtcNow;

        var ended = await Task.WhenAny(socket.Closed, Task.Delay(TimeSpan.FromSeconds(1.2), TestContext.Current.CancellationToken));
        var elapsed = DateTime.UtcNow - started;

        Assert.NotSame(socket.Closed, ended);
        // About one ping per 150 ms: at least 4 in 1.2 s (a loop waiting out the pong deadline would send about 3).
        Assert.InRange(socket.Pings, 4, (int)(elapsed.TotalMilliseconds / 150) + 2);
    }

    [Fact]
    public async Task A_socket_that_does_not_answer_a_ping_is_dropped_after_the_ping_timeout()
    {
        var guest = await Api.GuestAsync();
        await using var socket = await RealtimeSocket.ConnectAsync(Emulator, guest.Token!, answerPings: false);

        await socket.Closed.WaitAsync(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);

        Assert.Equal(1, socket.Pings);
    }
}

/// <summary>A client that stops reading, with a small outbound queue: it is dropped, and the others get every event.</summary>
public sealed class RealtimeSlowClientTests() : RealtimeEmulatorTests(new MudbaseEmulatorOptions { RealtimeOutboundQueueCapacity = 8 })
{
    [Fact]
    public async Task A_client_that_stops_reading_is_dropped_and_never_holds_up_the_others()
    {
        const int Writes = 150;
        var options = new EmulatorCollectionOptions(DataApi.NewName("feed"));
        options.Permissions.Add(new EmulatorCollectionGrant("authenticated", "read"));
        Emulator.CreateCollection(options);
        var guest = await Api.GuestAsync();
        await using var slow = await RealtimeSocket.ConnectAsync(Emulator, guest.Token!);
        await using var fast = await RealtimeSocket.ConnectAsync(Emulator, guest.Token!);
        foreach (var socket in new[] { slow, fast })
        {
            var id = await socket.EmitAsync("subscribe:collection", $$"""{"collectionId":"{{options.Name}}"}""");
            await socket.NextAckAsync(id);
        }

        slow.StopReading();
        // 64 KB a document: the kernel's socket buffers (a few MB on loopback) fill after a few dozen events.
        // One write at a time, each awaited on the fast socket: its own queue never holds more than a frame or two,
        // however loaded the machine, while the slow one's fills.
        var padding = new string('x', 64 * 1024);
        var received = new List<int>();
        for (var i = 0; i < Writes; i++)
        {
            await Api.SeedAsync(Emulator.DefaultProjectId, options.Name, $$"""{"n":{{i}},"padding":"{{padding}}"}""");
            received.Add((await fast.NextEventAsync("db:create")).GetProperty("data").GetProperty("n").GetInt32());
        }

        Assert.Equal(Enumerable.Range(0, Writes), received);
        Assert.Equal(1, Emulator.GetRealtimeSubscriberCount(options.Name));
    }
}
