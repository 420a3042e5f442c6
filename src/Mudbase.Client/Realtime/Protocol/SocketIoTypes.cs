using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Mudbase.Realtime.Protocol;

/// <summary>How one Socket.IO connection is opened and bounded (Engine.IO 4, websocket transport only).</summary>
internal sealed class SocketIoConnectionOptions
{
    /// <summary>The clock of the handshake deadline and the dead-link timer.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Received events not yet read by the consumer. When it is full the connection is closed with
    /// <see cref="SocketIoDisconnectReason.EventBufferFull"/> rather than drop an event silently or stall the receive
    /// loop (which must keep answering pings): the layer above reconnects and resyncs.
    /// </summary>
    public int EventBufferCapacity { get; set; } = 1024;

    /// <summary>The largest message received (after reassembling fragments); a larger one closes the connection.</summary>
    public int MaxReceiveBytes { get; set; } = 1_000_000;

    /// <summary>From the WebSocket's opening to the server's <c>40{sid}</c> or <c>44</c>.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>How long a clean close waits for the server's close frame before aborting.</summary>
    public TimeSpan CloseTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Opens the WebSocket (tests give an in-memory one); the default is a <see cref="ClientWebSocket"/>.</summary>
    public Func<Uri, CancellationToken, Task<WebSocket>> WebSocketFactory { get; set; } = OpenClientWebSocketAsync;

    private static async Task<WebSocket> OpenClientWebSocketAsync(Uri uri, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        try
        {
            await socket.ConnectAsync(uri, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>Why a connection ended.</summary>
internal enum SocketIoDisconnectReason
{
    /// <summary>Closed by our side (<see cref="SocketIoConnection.CloseAsync"/> or disposal).</summary>
    ClientClosed,

    /// <summary>The server sent <c>41</c>: by the protocol, do not reconnect on its own; surface it.</summary>
    ServerDisconnected,

    /// <summary>The server closed the transport (Engine.IO <c>1</c> or a WebSocket close frame).</summary>
    TransportClosed,

    /// <summary>The socket failed (reset, abort, I/O error).</summary>
    TransportError,

    /// <summary>No ping within pingInterval + pingTimeout: the link is dead.</summary>
    PingTimeout,

    /// <summary>A message above <see cref="SocketIoConnectionOptions.MaxReceiveBytes"/>.</summary>
    MessageTooLarge,

    /// <summary>A packet that does not follow the protocol.</summary>
    ProtocolError,

    /// <summary>The event buffer was full (see <see cref="SocketIoConnectionOptions.EventBufferCapacity"/>).</summary>
    EventBufferFull,
}

/// <summary>How a connection ended.</summary>
internal sealed record SocketIoDisconnect(SocketIoDisconnectReason Reason, Exception? Error = null);

/// <summary>
/// A received event <c>42["name",…]</c>. <see cref="Packet"/> is the packet's whole JSON array (name included) as
/// UTF-8, so that the layer above deserializes its argument straight with a <see cref="JsonTypeInfo{T}"/>.
/// </summary>
internal readonly record struct SocketIoEvent(string Name, ReadOnlyMemory<byte> Packet)
{
    /// <summary>The argument at <paramref name="index"/> (0 is the first after the name), deserialized.</summary>
    public T? GetArgument<T>(int index, JsonTypeInfo<T> typeInfo) => SocketIoJson.GetElement(Packet.Span, index + 1, typeInfo);

    /// <summary>The number of arguments after the name.</summary>
    public int ArgumentCount => SocketIoJson.Count(Packet.Span) - 1;
}

/// <summary>An acknowledgement <c>43&lt;id&gt;[…]</c>: its JSON array of arguments as UTF-8.</summary>
internal readonly record struct SocketIoAck(ReadOnlyMemory<byte> Arguments)
{
    /// <summary>The argument at <paramref name="index"/>, deserialized.</summary>
    public T? GetArgument<T>(int index, JsonTypeInfo<T> typeInfo) => SocketIoJson.GetElement(Arguments.Span, index, typeInfo);

    /// <summary>The number of arguments.</summary>
    public int Count => SocketIoJson.Count(Arguments.Span);
}

/// <summary>A Socket.IO failure below the public API; the realtime layer maps it to the MudbaseException family.</summary>
internal class SocketIoException : Exception
{
    public SocketIoException(string message) : base(message) { }

    public SocketIoException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>The server refused the connect packet (<c>44{"message":…}</c>): the token was refused.</summary>
internal sealed class SocketIoAuthRefusedException : SocketIoException
{
    public SocketIoAuthRefusedException(string serverMessage)
        : base("The realtime server refused the connection: " + serverMessage) => ServerMessage = serverMessage;

    /// <summary>The server's <c>message</c> (never the token).</summary>
    public string ServerMessage { get; }
}

/// <summary>The connection ended while a call was waiting on it.</summary>
internal sealed class SocketIoDisconnectedException : SocketIoException
{
    public SocketIoDisconnectedException(SocketIoDisconnect disconnect)
        : base("The realtime connection ended (" + disconnect.Reason + ").", disconnect.Error) => Disconnect = disconnect;

    public SocketIoDisconnect Disconnect { get; }
}
