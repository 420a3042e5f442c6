using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Time.Testing;
using Mudbase.Realtime.Protocol;

namespace Mudbase.Tests.Unit.Realtime;

internal sealed record RealtimeTestPayload(string Room, int N);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(RealtimeTestPayload))]
[JsonSerializable(typeof(string))]
internal sealed partial class RealtimeTestJson : JsonSerializerContext;

/// <summary>
/// The Socket.IO connection against a scripted server over an in-memory WebSocket pair: what the client put on the
/// wire for each packet type, and what the caller sees for what the server sent.
/// </summary>
public sealed class SocketIoConnectionTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;
    private readonly InMemorySocketIoServer _server = new();

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _server.DisposeAsync();

    [Fact]
    public async Task Handshake_sends_the_token_in_the_connect_packet_and_completes_on_the_servers_sid()
    {
        var (connection, auth) = await _server.ConnectAsync(token: "header.payload.sig\"x");

        Assert.Equal("""40{"token":"header.payload.sig\u0022x"}""", auth);
        Assert.Equal(new Uri("ws://127.0.0.1:9999/socket.io/?EIO=4&transport=websocket"), _server.RequestedUri);
        Assert.Equal("socket-1", connection.SocketId);
        Assert.Equal(new EngineOpen("engine-1", TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(20), 1_000_000), connection.Engine);
        Assert.False(connection.Completion.IsCompleted);
    }

    [Fact]
    public async Task Without_a_token_the_connect_packet_has_no_auth_payload()
    {
        var (_, auth) = await _server.ConnectAsync(token: null);

        Assert.Equal("40", auth);
    }

    [Fact]
    public async Task The_token_delegate_is_called_on_every_connect_attempt()
    {
        var calls = 0;
        ValueTask<string?> Token(CancellationToken _) => new($"jwt-{++calls}");

        await using var first = new InMemorySocketIoServer();
        var connecting = SocketIoConnection.ConnectAsync(new Uri("http://h"), Token, first.Options(), Ct);
        await first.SendAsync(InMemorySocketIoServer.OpenPacket);
        Assert.Equal("""40{"token":"jwt-1"}""", await first.ReceiveAsync());
        await first.SendAsync("""44{"message":"expired"}""");
        await Assert.ThrowsAsync<SocketIoAuthRefusedException>(() => connecting);

        await using var second = new InMemorySocketIoServer();
        connecting = SocketIoConnection.ConnectAsync(new Uri("http://h"), Token, second.Options(), Ct);
        await second.SendAsync(InMemorySocketIoServer.OpenPacket);
        Assert.Equal("""40{"token":"jwt-2"}""", await second.ReceiveAsync());
        Assert.Equal(2, calls);
    }

    [Theory]
    [InlineData("http://h:8080", "ws://h:8080/socket.io/?EIO=4&transport=websocket")]
    [InlineData("https://h/prefix/", "wss://h/prefix/socket.io/?EIO=4&transport=websocket")]
    [InlineData("https://h/api/v1?x=1#f", "wss://h/api/v1/socket.io/?EIO=4&transport=websocket")]
    public void The_url_keeps_the_base_path_and_maps_http_to_ws(string baseUrl, string expected)
    {
        Assert.Equal(new Uri(expected), SocketIoConnection.BuildUri(new Uri(baseUrl)));
    }

    [Fact]
    public void A_url_that_is_not_http_or_ws_is_refused()
    {
        Assert.Equal("baseUrl", Assert.Throws<ArgumentException>(() => SocketIoConnection.BuildUri(new Uri("ftp://h"))).ParamName);
    }

    [Fact]
    public async Task Auth_refused_throws_a_typed_exception_with_the_servers_message_and_never_the_token()
    {
        var connecting = SocketIoConnection.ConnectAsync(new Uri("http://h"), _ => new("secret-jwt"), _server.Options(), Ct);
        await _server.SendAsync(InMemorySocketIoServer.OpenPacket);
        await _server.ReceiveAsync();
        await _server.SendAsync("""44{"message":"unauthorized: bad token"}""");

        var refused = await Assert.ThrowsAsync<SocketIoAuthRefusedException>(() => connecting);
        Assert.Equal("unauthorized: bad token", refused.ServerMessage);
        Assert.DoesNotContain("secret-jwt", refused.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""0{"sid":"e","pingInterval":25000""", "malformed JSON")]
    [InlineData("""0{"sid":"e"}""", "malformed JSON")]
    [InlineData("""40{"sid":"s"}""", "open packet")]
    public async Task A_bad_open_packet_fails_the_handshake_with_a_protocol_message(string openPacket, string expected)
    {
        var connecting = SocketIoConnection.ConnectAsync(new Uri("http://h"), _ => new("t"), _server.Options(), Ct);
        await _server.SendAsync(openPacket);

        var error = await Assert.ThrowsAsync<SocketIoException>(() => connecting.WaitAsync(Wait, Ct));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_websocket_that_cannot_open_fails_as_a_socket_io_exception()
    {
        var options = _server.Options();
        options.WebSocketFactory = (_, _) => throw new System.Net.WebSockets.WebSocketException("refused");

        var error = await Assert.ThrowsAsync<SocketIoException>(() => SocketIoConnection.ConnectAsync(new Uri("http://h"), _ => new("t"), options, Ct));
        Assert.IsType<System.Net.WebSockets.WebSocketException>(error.InnerException);
    }

    [Fact]
    public async Task An_open_packet_over_the_receive_limit_fails_the_handshake()
    {
        var options = _server.Options();
        options.MaxReceiveBytes = 50;
        var connecting = SocketIoConnection.ConnectAsync(new Uri("http://h"), _ => new("t"), options, Ct);
        await _server.SendAsync(InMemorySocketIoServer.OpenPacket);

        var error = await Assert.ThrowsAnyAsync<SocketIoException>(() => connecting.WaitAsync(Wait, Ct));
        Assert.Contains("larger than 50 bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_ping_during_the_handshake_is_answered()
    {
        var connecting = SocketIoConnection.ConnectAsync(new Uri("http://h"), _ => new("t"), _server.Options(), Ct);
        await _server.SendAsync(InMemorySocketIoServer.OpenPacket);
        await _server.ReceiveAsync();
        await _server.SendAsync("2");
        Assert.Equal("3", await _server.ReceiveAsync());
        await _server.SendAsync("""40{"sid":"s"}""");
        Assert.Equal("s", (await connecting).SocketId);
    }

    [Fact]
    public async Task A_server_that_never_opens_times_out_on_the_handshake_clock()
    {
        var clock = new FakeTimeProvider();
        var options = _server.Options(clock);
        options.HandshakeTimeout = TimeSpan.FromSeconds(5);
        var connecting = SocketIoConnection.ConnectAsync(new Uri("http://h"), _ => new("t"), options, Ct);

        clock.Advance(TimeSpan.FromSeconds(4.9));
        Assert.False(connecting.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(0.2));
        var error = await Assert.ThrowsAsync<SocketIoException>(() => connecting.WaitAsync(Wait, Ct));
        Assert.Contains("did not complete within 5 s", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_the_connect_attempt_throws_OperationCanceledException()
    {
        using var cts = new CancellationTokenSource();
        var connecting = SocketIoConnection.ConnectAsync(new Uri("http://h"), _ => new("t"), _server.Options(), cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => connecting.WaitAsync(Wait, Ct));
    }

    [Fact]
    public async Task Events_arrive_in_the_channel_with_their_arguments()
    {
        var (connection, _) = await _server.ConnectAsync();
        await _server.SendAsync("""42["db:create",{"room":"p1:todos","n":3},"second"]""");

        var received = await connection.Events.ReadAsync(Ct).AsTask().WaitAsync(Wait, Ct);
        Assert.Equal("db:create", received.Name);
        Assert.Equal(2, received.ArgumentCount);
        Assert.Equal(new RealtimeTestPayload("p1:todos", 3), received.GetArgument(0, RealtimeTestJson.Default.RealtimeTestPayload));
        Assert.Equal("second", received.GetArgument(1, RealtimeTestJson.Default.String));
        Assert.Null(received.GetArgument(2, RealtimeTestJson.Default.String));
    }

    [Fact]
    public async Task A_message_in_fragmented_frames_is_reassembled()
    {
        var (connection, _) = await _server.ConnectAsync();
        await _server.SendFragmentsAsync("4", "2[\"frag\",{\"room\":\"r\",", "\"n\":7}]");

        var received = await connection.Events.ReadAsync(Ct).AsTask().WaitAsync(Wait, Ct);
        Assert.Equal("frag", received.Name);
        Assert.Equal(new RealtimeTestPayload("r", 7), received.GetArgument(0, RealtimeTestJson.Default.RealtimeTestPayload));
    }

    [Fact]
    public async Task Binary_packets_and_frames_and_other_namespaces_are_ignored()
    {
        var (connection, _) = await _server.ConnectAsync();
        await _server.SendAsync("""451-["upload",{"_placeholder":true,"num":0}]""");
        await _server.SendBinaryAsync([1, 2, 3]);
        await _server.SendAsync("""42/admin,["other-namespace"]""");
        await _server.SendAsync("6");
        await _server.SendAsync("""42/,["after"]""");

        var received = await connection.Events.ReadAsync(Ct).AsTask().WaitAsync(Wait, Ct);
        Assert.Equal("after", received.Name);
        Assert.False(connection.Events.TryRead(out _));
        Assert.False(connection.Completion.IsCompleted);
    }

    [Fact]
    public async Task An_event_that_asks_for_an_ack_is_acked_at_once_with_an_empty_array()
    {
        var (connection, _) = await _server.ConnectAsync();
        await _server.SendAsync("""4217["question",{"q":1}]""");

        Assert.Equal("4317[]", await _server.ReceiveAsync());
        Assert.Equal("question", (await connection.Events.ReadAsync(Ct).AsTask().WaitAsync(Wait, Ct)).Name);
    }

    [Fact]
    public async Task Emit_writes_the_event_array_and_emit_with_ack_completes_on_the_matching_ack()
    {
        var (connection, _) = await _server.ConnectAsync();

        await connection.EmitAsync("unsubscribe:collection", new RealtimeTestPayload("p1:todos", 1), RealtimeTestJson.Default.RealtimeTestPayload, Ct);
        Assert.Equal("""42["unsubscribe:collection",{"room":"p1:todos","n":1}]""", await _server.ReceiveAsync());
        await connection.EmitAsync("bare", Ct);
        Assert.Equal("""42["bare"]""", await _server.ReceiveAsync());

        var first = connection.EmitWithAckAsync("subscribe:collection", "a", RealtimeTestJson.Default.String, Ct);
        Assert.Equal("""420["subscribe:collection","a"]""", await _server.ReceiveAsync());
        var second = connection.EmitWithAckAsync("subscribe:collection", "b", RealtimeTestJson.Default.String, Ct);
        Assert.Equal("""421["subscribe:collection","b"]""", await _server.ReceiveAsync());

        await _server.SendAsync("""431[{"ok":true,"room":"b"}]""");
        await _server.SendAsync("""430["for-a",2]""");
        var ackB = await second.WaitAsync(Wait, Ct);
        var ackA = await first.WaitAsync(Wait, Ct);
        Assert.Equal("b", ackB.GetArgument(0, RealtimeTestJson.Default.JsonElement).GetProperty("room").GetString());
        Assert.Equal(2, ackA.Count);
        Assert.Equal("for-a", ackA.GetArgument(0, RealtimeTestJson.Default.String));
    }

    [Fact]
    public async Task Pings_are_answered_and_reset_the_dead_link_timer_and_silence_past_interval_plus_timeout_ends_the_link()
    {
        var clock = new FakeTimeProvider();
        var (connection, _) = await _server.ConnectAsync(_server.Options(clock));
        var limit = TimeSpan.FromSeconds(45); // pingInterval 25 s + pingTimeout 20 s

        clock.Advance(limit - TimeSpan.FromMilliseconds(1));
        await _server.SendAsync("2");
        Assert.Equal("3", await _server.ReceiveAsync());
        clock.Advance(limit - TimeSpan.FromMilliseconds(1)); // the ping reset the deadline
        Assert.False(connection.Completion.IsCompleted);

        // Traffic other than a ping does not keep a link alive (as the official client): the server's pings stopped.
        await _server.SendAsync("""42["event"]""");
        await connection.Events.ReadAsync(Ct).AsTask().WaitAsync(Wait, Ct);
        clock.Advance(TimeSpan.FromMilliseconds(2));

        var end = await connection.Completion.WaitAsync(Wait, Ct);
        Assert.Equal(SocketIoDisconnectReason.PingTimeout, end.Reason);
    }

    [Fact]
    public async Task A_message_over_the_receive_limit_ends_the_connection_as_too_large()
    {
        var options = _server.Options();
        options.MaxReceiveBytes = 160; // the open packet (102 bytes) fits
        var (connection, _) = await _server.ConnectAsync(options);
        await _server.SendFragmentsAsync("42[\"big\",\"", new string('x', 100), new string('y', 100) + "\"]");

        var end = await connection.Completion.WaitAsync(Wait, Ct);
        Assert.Equal(SocketIoDisconnectReason.MessageTooLarge, end.Reason);
        Assert.False(connection.Events.TryRead(out _));
    }

    [Fact]
    public async Task A_message_over_the_servers_max_payload_is_refused_before_it_is_sent()
    {
        var (connection, _) = await _server.ConnectAsync(openPacket: """0{"sid":"e","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":40}""");

        await Assert.ThrowsAsync<SocketIoException>(() => connection.EmitAsync("big", new string('x', 40), RealtimeTestJson.Default.String, Ct));
        await connection.EmitAsync("small", Ct);
        Assert.Equal("""42["small"]""", await _server.ReceiveAsync()); // the refused one never reached the wire
    }

    [Fact]
    public async Task The_server_disconnecting_ends_the_connection_fails_pending_acks_and_completes_the_events()
    {
        var (connection, _) = await _server.ConnectAsync();
        var pending = connection.EmitWithAckAsync("subscribe:query", "q", RealtimeTestJson.Default.String, Ct);
        await _server.ReceiveAsync();
        await _server.SendAsync("41");

        var failed = await Assert.ThrowsAsync<SocketIoDisconnectedException>(() => pending.WaitAsync(Wait, Ct));
        Assert.Equal(SocketIoDisconnectReason.ServerDisconnected, failed.Disconnect.Reason);
        Assert.Equal(SocketIoDisconnectReason.ServerDisconnected, (await connection.Completion).Reason);
        Assert.False(await connection.Events.WaitToReadAsync(Ct).AsTask().WaitAsync(Wait, Ct));
        await Assert.ThrowsAsync<SocketIoDisconnectedException>(() => connection.EmitAsync("late", Ct));
    }

    [Fact]
    public async Task An_engine_close_packet_ends_the_connection_as_transport_closed()
    {
        var (connection, _) = await _server.ConnectAsync();
        await _server.SendAsync("1");

        Assert.Equal(SocketIoDisconnectReason.TransportClosed, (await connection.Completion.WaitAsync(Wait, Ct)).Reason);
    }

    [Theory]
    [InlineData("""42["unclosed",""")]
    [InlineData("""42{"not":"an array"}""")]
    [InlineData("""43["ack without id"]""")]
    [InlineData("9")]
    public async Task A_packet_that_breaks_the_protocol_ends_the_connection_as_a_protocol_error(string frame)
    {
        var (connection, _) = await _server.ConnectAsync();
        await _server.SendAsync(frame);

        Assert.Equal(SocketIoDisconnectReason.ProtocolError, (await connection.Completion.WaitAsync(Wait, Ct)).Reason);
    }

    [Fact]
    public async Task An_event_buffer_that_stays_full_for_half_the_ping_timeout_ends_the_connection_instead_of_dropping_an_event()
    {
        var clock = new FakeTimeProvider();
        var options = _server.Options(clock);
        options.EventBufferCapacity = 1;
        var (connection, _) = await _server.ConnectAsync(options);
        await _server.SendAsync("""42["one"]""");
        await _server.SendAsync("""42["two"]""");

        // The loop waits for room (pings wait behind it): the open packet's ping timeout is 20 s, so 10 s at most.
        await Task.Delay(100, Ct);
        Assert.False(connection.Completion.IsCompleted);
        for (var second = 0; second < 30 && !connection.Completion.IsCompleted; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20, Ct);
        }

        Assert.Equal(SocketIoDisconnectReason.EventBufferFull, (await connection.Completion.WaitAsync(Wait, Ct)).Reason);
        Assert.True(connection.Events.TryRead(out var first));
        Assert.Equal("one", first.Name);
        Assert.False(connection.Events.TryRead(out _));
    }

    [Fact]
    public async Task A_burst_larger_than_the_event_buffer_is_delivered_whole_once_the_reader_catches_up()
    {
        var options = _server.Options();
        options.EventBufferCapacity = 4;
        var (connection, _) = await _server.ConnectAsync(options);
        for (var n = 0; n < 20; n++)
        {
            await _server.SendAsync($$"""42["burst",{"room":"r","n":{{n}}}]""");
        }

        await _server.SendAsync("2");
        await Task.Delay(100, Ct); // the burst waits in the socket and the buffer, unread
        for (var n = 0; n < 20; n++)
        {
            var received = await connection.Events.ReadAsync(Ct).AsTask().WaitAsync(Wait, Ct);
            Assert.Equal(new RealtimeTestPayload("r", n), received.GetArgument(0, RealtimeTestJson.Default.RealtimeTestPayload));
        }

        Assert.Equal("3", await _server.ReceiveAsync()); // the ping behind the burst is answered
        Assert.False(connection.Completion.IsCompleted);
    }

    [Fact]
    public async Task Closing_sends_the_disconnect_packet_then_a_close_frame()
    {
        var (connection, _) = await _server.ConnectAsync();
        var closing = connection.DisposeAsync().AsTask();

        Assert.Equal("41", await _server.ReceiveAsync());
        Assert.Equal("<close>", await _server.ReceiveAsync());
        await _server.ServerSocket.CloseOutputAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, Ct);
        await closing.WaitAsync(Wait, Ct);
        Assert.Equal(SocketIoDisconnectReason.ClientClosed, (await connection.Completion).Reason);
        Assert.Equal(System.Net.WebSockets.WebSocketState.Closed, connection.SocketState);
    }
}
