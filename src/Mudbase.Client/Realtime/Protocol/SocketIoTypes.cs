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
    /// Received events not yet read by the consumer. When it is full the receive loop waits for room (a burst: TCP
    /// holds the server back meanwhile), but for half the server's ping timeout at most, since pings wait behind it;
    /// still full then, the connection is closed with <see cref="SocketIoDisconnectReason.EventBufferFull"/> rather
    /// than drop an event silently: the layer above reconnects and resyncs.
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

    /// <summary>The event buffer stayed full (see <see cref="SocketIoConnectionOptions.EventBufferCapacity"/>).</summary>
    EventBufferFull,
}

/// <summary>How a connection ended.</summary>
internal sealed record SocketIoDisconnect(SocketIoDisconnectReason Reason, Exception? Error = null);

/// <summary>
/// A received event <c>42["name",…]</c>. <see cref="Packet"/> is the packet's whole JSON array (name included) as
/// UTF-8, so that the layer above deserializes its argument straight with a <see cref="JsonTypeInfo{T}"/>.
/// <see cref="Slab"/>, when set, holds <see cref="Packet"/>: the reader gives it back with <see cref="Return"/>, once,
/// when done with the event (a reader that does not only leaves the slab to the GC).
/// </summary>
internal readonly record struct SocketIoEvent(string Name, ReadOnlyMemory<byte> Packet, PacketSlab? Slab = null)
{
    /// <summary>Done with the event: its packet must not be read afterwards. Call once per event.</summary>
    public void Return() => Slab?.Release();

    /// <summary>The argument at <paramref name="index"/> (0 is the first after the name), deserialized.</summary>
    public T? GetArgument<T>(int index, JsonTypeInfo<T> typeInfo) => SocketIoJson.GetElement(Packet.Span, index + 1, typeInfo);

    /// <summary>The number of arguments after the name.</summary>
    public int ArgumentCount => SocketIoJson.Count(Packet.Span) - 1;
}

/// <summary>
/// Where the receive loop copies event packets (its own buffer is reused at once): a pooled array filled one packet
/// after another, given back to the pool once the loop has moved on to a new slab and every event in it was returned.
/// One rent per slab rather than per event keeps the pool's hit rate high when events arrive in bursts faster than they
/// are dispatched.
/// </summary>
internal sealed class PacketSlab
{
    private const int MinimumBytes = 32 * 1024;

    private readonly byte[] _array;
    private int _used;
    private int _references = 1; // the receive loop's, until it moves on

    private PacketSlab(int bytes) => _array = System.Buffers.ArrayPool<byte>.Shared.Rent(Math.Max(MinimumBytes, bytes));

    /// <summary>Copies <paramref name="packet"/> into <paramref name="current"/>, or into a new slab when it does not fit (letting the old one go).</summary>
    public static ReadOnlyMemory<byte> Copy(ref PacketSlab? current, ReadOnlySpan<byte> packet)
    {
        if (current is null || current._array.Length - current._used < packet.Length)
        {
            current?.Release();
            current = new PacketSlab(packet.Length);
        }

        var copy = new Memory<byte>(current._array, current._used, packet.Length);
        packet.CopyTo(copy.Span);
        current._used += packet.Length;
        Interlocked.Increment(ref current._references);
        return copy;
    }

    /// <summary>One event in the slab was returned, or the receive loop let it go: the last one gives the array back.</summary>
    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0)
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(_array);
        }
    }
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
