namespace Mudbase.Realtime.Protocol;

/// <summary>What one text frame carries (Engine.IO 4 packet, and for a message the Socket.IO 5 packet inside it).</summary>
internal enum SocketIoPacketKind
{
    Invalid,
    Open,           // 0{…}
    Close,          // 1
    Ping,           // 2
    Pong,           // 3
    Noop,           // 6 (and 5, upgrade, which a websocket-only client never asked for)
    Connect,        // 40{sid}
    Disconnect,     // 41
    Event,          // 42[id]["name",…]
    Ack,            // 43<id>[…]
    ConnectError,   // 44{message}
    Binary,         // 45/46: attachments follow as binary frames, which the client drops (Mudbase sends JSON only)
    OtherNamespace, // a packet for a namespace other than "/", which the client never joins
}

/// <summary>A parsed frame: its kind, its ack id (-1 when none) and where its JSON starts.</summary>
internal readonly record struct SocketIoPacket(SocketIoPacketKind Kind, int AckId, int JsonStart)
{
    /// <summary>Parses the header of <c>4&lt;type&gt;[&lt;n&gt;-][/nsp,][ackId][json]</c> or an Engine.IO packet.</summary>
    public static SocketIoPacket Parse(ReadOnlySpan<byte> frame)
    {
        if (frame.IsEmpty)
        {
            return new(SocketIoPacketKind.Invalid, -1, 0);
        }

        switch (frame[0])
        {
            case (byte)'0': return new(SocketIoPacketKind.Open, -1, 1);
            case (byte)'1': return new(SocketIoPacketKind.Close, -1, 1);
            case (byte)'2': return new(SocketIoPacketKind.Ping, -1, 1);
            case (byte)'3': return new(SocketIoPacketKind.Pong, -1, 1);
            case (byte)'5' or (byte)'6': return new(SocketIoPacketKind.Noop, -1, 1);
            case (byte)'4': break;
            default: return new(SocketIoPacketKind.Invalid, -1, 0);
        }

        if (frame.Length < 2)
        {
            return new(SocketIoPacketKind.Invalid, -1, 0);
        }

        var kind = frame[1] switch
        {
            (byte)'0' => SocketIoPacketKind.Connect,
            (byte)'1' => SocketIoPacketKind.Disconnect,
            (byte)'2' => SocketIoPacketKind.Event,
            (byte)'3' => SocketIoPacketKind.Ack,
            (byte)'4' => SocketIoPacketKind.ConnectError,
            (byte)'5' or (byte)'6' => SocketIoPacketKind.Binary,
            _ => SocketIoPacketKind.Invalid,
        };
        if (kind is SocketIoPacketKind.Invalid or SocketIoPacketKind.Binary)
        {
            return new(kind, -1, 0);
        }

        var position = 2;
        if (position < frame.Length && frame[position] == (byte)'/')
        {
            var comma = frame.Slice(position).IndexOf((byte)',');
            var end = comma < 0 ? frame.Length : position + comma;
            if (end - position != 1)
            {
                return new(SocketIoPacketKind.OtherNamespace, -1, 0);
            }

            position = comma < 0 ? frame.Length : end + 1;
        }

        var ackId = -1;
        while (position < frame.Length && frame[position] is >= (byte)'0' and <= (byte)'9')
        {
            var digit = frame[position] - '0';
            if (ackId > (int.MaxValue - digit) / 10)
            {
                return new(SocketIoPacketKind.Invalid, -1, 0);
            }

            ackId = (ackId < 0 ? 0 : ackId * 10) + digit;
            position++;
        }

        // An ack without an id, or an id on a packet that cannot carry one, breaks the protocol.
        if ((kind == SocketIoPacketKind.Ack) != (ackId >= 0) && !(kind == SocketIoPacketKind.Event && ackId >= 0))
        {
            return new(SocketIoPacketKind.Invalid, -1, 0);
        }

        return new(kind, ackId, position);
    }
}
