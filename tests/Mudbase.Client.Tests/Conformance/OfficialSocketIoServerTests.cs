using System.Text.Json;
using Mudbase.Realtime.Protocol;
using Mudbase.Tests.Unit.Realtime;

namespace Mudbase.Tests.Conformance;

/// <summary>
/// Our Socket.IO client against the official Node server (socket.io 4.8.4, pingInterval 300 ms, pingTimeout 1 s):
/// the handshake, acks both ways, events, auth refused, the server's disconnect, a clean close, and pings answered
/// in time (the official server drops a client that does not pong within its deadline).
/// </summary>
public sealed class OfficialSocketIoServerTests(NodeSocketIoServer node) : IClassFixture<NodeSocketIoServer>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<SocketIoConnection> ConnectAsync(string token = NodeSocketIoServer.GoodToken) =>
        SocketIoConnection.ConnectAsync(node.BaseUrl, _ => new ValueTask<string?>(token), new SocketIoConnectionOptions(), Ct).WaitAsync(Wait, Ct);

    private static async Task<SocketIoEvent> NextEventAsync(SocketIoConnection connection, string name)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(Wait);
        for (var i = 0; i < 100; i++)
        {
            var received = await connection.Events.ReadAsync(timeout.Token);
            if (received.Name == name)
            {
                return received;
            }
        }

        throw new InvalidOperationException($"No '{name}' event among the first 100.");
    }

    [Fact]
    public async Task The_handshake_completes_on_the_servers_sid_and_the_servers_first_event_arrives()
    {
        await using var connection = await ConnectAsync();

        Assert.Equal(TimeSpan.FromMilliseconds(300), connection.Engine.PingInterval);
        Assert.Equal(TimeSpan.FromSeconds(1), connection.Engine.PingTimeout);
        Assert.Equal(1_000_000, connection.Engine.MaxPayload);
        Assert.False(string.IsNullOrEmpty(connection.SocketId));
        var welcome = await NextEventAsync(connection, "welcome");
        var body = welcome.GetArgument(0, RealtimeTestJson.Default.JsonElement);
        Assert.Equal(connection.SocketId, body.GetProperty("sid").GetString());
    }

    [Fact]
    public async Task An_event_with_an_ack_round_trips_through_the_server()
    {
        await using var connection = await ConnectAsync();

        var ack = await connection.EmitWithAckAsync("echo", new RealtimeTestPayload("p1:todos", 42), RealtimeTestJson.Default.RealtimeTestPayload, Ct).WaitAsync(Wait, Ct);

        var body = ack.GetArgument(0, RealtimeTestJson.Default.JsonElement);
        Assert.True(body.GetProperty("ok").GetBoolean());
        Assert.Equal(new RealtimeTestPayload("p1:todos", 42), body.GetProperty("echo").Deserialize(RealtimeTestJson.Default.RealtimeTestPayload));
    }

    [Fact]
    public async Task When_the_server_asks_for_an_ack_it_gets_one()
    {
        await using var connection = await ConnectAsync();

        await connection.EmitAsync("ask-me", Ct);

        Assert.Equal("question", (await NextEventAsync(connection, "question")).Name);
        var answered = await NextEventAsync(connection, "answered");
        Assert.Equal(0, answered.GetArgument(0, RealtimeTestJson.Default.JsonElement).GetProperty("count").GetInt32());
    }

    [Fact]
    public async Task A_bad_token_is_refused_with_the_servers_message()
    {
        var refused = await Assert.ThrowsAsync<SocketIoAuthRefusedException>(() => ConnectAsync("not-the-token"));

        Assert.Equal("unauthorized: bad token", refused.ServerMessage);
    }

    [Fact]
    public async Task Pings_are_answered_in_time_so_the_server_keeps_the_connection()
    {
        await using var connection = await ConnectAsync();

        // Six ping periods: a client that did not pong within the server's 1 s deadline would have been dropped by now
        // (first ping at 0.3 s, deadline 1.3 s). The deadline is not tighter so that a busy CI machine cannot fail it.
        await Task.Delay(TimeSpan.FromSeconds(2), Ct);

        Assert.False(connection.Completion.IsCompleted);
        var stats = (await connection.EmitWithAckAsync("stats", "", RealtimeTestJson.Default.String, Ct).WaitAsync(Wait, Ct))
            .GetArgument(0, RealtimeTestJson.Default.JsonElement);
        Assert.True(stats.GetProperty("connected").GetBoolean());
        Assert.InRange(stats.GetProperty("pongs").GetInt32(), 3, 10);
    }

    [Fact]
    public async Task The_server_disconnecting_ends_the_connection_as_server_disconnected()
    {
        await using var connection = await ConnectAsync();

        await connection.EmitAsync("kick", Ct);

        Assert.Equal(SocketIoDisconnectReason.ServerDisconnected, (await connection.Completion.WaitAsync(Wait, Ct)).Reason);
    }

    [Fact]
    public async Task Closing_completes_promptly_as_client_closed()
    {
        var connection = await ConnectAsync();

        await connection.DisposeAsync().AsTask().WaitAsync(Wait, Ct);

        Assert.Equal(SocketIoDisconnectReason.ClientClosed, (await connection.Completion).Reason);
        Assert.Equal(System.Net.WebSockets.WebSocketState.Closed, connection.SocketState);
    }
}
