using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Mudbase.Emulator.Realtime;

/// <summary>
/// A Socket.IO packet a client sent, read from one Engine.IO <c>4</c> (message) frame:
/// <c>4&lt;type&gt;[&lt;n&gt;-][/nsp,][ackId][json]</c>.
/// </summary>
/// <param name="Type"><c>'0'</c> CONNECT, <c>'1'</c> DISCONNECT, <c>'2'</c> EVENT, <c>'3'</c> ACK, <c>'4'</c> CONNECT_ERROR, <c>'5'</c>/<c>'6'</c> binary.</param>
/// <param name="Namespace"><c>/</c> when the packet names none.</param>
/// <param name="AckId">The id the client wants an ack for, if any.</param>
/// <param name="Json">The JSON after the header, empty when there is none.</param>
internal readonly record struct SocketIoPacket(char Type, string Namespace, long? AckId, string Json)
{
    /// <summary>Reads the part of a message frame after its Engine.IO <c>4</c>.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out SocketIoPacket packet)
    {
        packet = default;
        if (text.Length == 0 || text[0] is < '0' or > '6')
        {
            return false;
        }

        var type = text[0];
        var rest = text[1..];
        if (type is '5' or '6')
        {
            // Binary packets carry "<attachments>-" first; Mudbase speaks JSON only, so they are read and ignored.
            var dash = rest.IndexOf('-');
            rest = dash < 0 ? rest : rest[(dash + 1)..];
        }

        var ns = "/";
        if (rest.Length > 0 && rest[0] == '/')
        {
            var comma = rest.IndexOf(',');
            ns = (comma < 0 ? rest : rest[..comma]).ToString();
            rest = comma < 0 ? [] : rest[(comma + 1)..];
        }

        var digits = 0;
        while (digits < rest.Length && char.IsAsciiDigit(rest[digits]))
        {
            digits++;
        }

        long? ackId = null;
        if (digits > 0)
        {
            if (!long.TryParse(rest[..digits], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                return false;
            }

            ackId = id;
        }

        packet = new SocketIoPacket(type, ns, ackId, rest[digits..].ToString());
        return true;
    }
}

/// <summary>The frames the emulator sends, each a whole WebSocket text message in UTF-8.</summary>
internal static class SocketIoFrames
{
    public static readonly byte[] Ping = "2"u8.ToArray();

    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The Engine.IO open packet: <c>0{"sid","upgrades":[],"pingInterval","pingTimeout","maxPayload"}</c>.</summary>
    public static byte[] Open(string sid, TimeSpan pingInterval, TimeSpan pingTimeout, int maxPayload) => Frame("0", writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("sid", sid);
        writer.WriteStartArray("upgrades");
        writer.WriteEndArray();
        writer.WriteNumber("pingInterval", (long)pingInterval.TotalMilliseconds);
        writer.WriteNumber("pingTimeout", (long)pingTimeout.TotalMilliseconds);
        writer.WriteNumber("maxPayload", maxPayload);
        writer.WriteEndObject();
    });

    /// <summary><c>40{"sid":…}</c>: the client is connected to the default namespace.</summary>
    public static byte[] Connected(string sid) => Frame("40", writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("sid", sid);
        writer.WriteEndObject();
    });

    /// <summary><c>44[/nsp,]{"message":…}</c>: the connection to the namespace is refused.</summary>
    public static byte[] ConnectError(string ns, string message) => Frame(ns == "/" ? "44" : "44" + ns + ",", writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("message", message);
        writer.WriteEndObject();
    });

    /// <summary><c>42["name",payload]</c>.</summary>
    public static byte[] Event(string name, Action<Utf8JsonWriter> payload) => Frame("42", writer =>
    {
        writer.WriteStartArray();
        writer.WriteStringValue(name);
        payload(writer);
        writer.WriteEndArray();
    });

    /// <summary><c>43&lt;id&gt;[payload]</c>, or <c>43&lt;id&gt;[]</c> without one.</summary>
    public static byte[] Ack(long id, Action<Utf8JsonWriter>? payload) => Frame("43" + id.ToString(CultureInfo.InvariantCulture), writer =>
    {
        writer.WriteStartArray();
        payload?.Invoke(writer);
        writer.WriteEndArray();
    });

    /// <summary>An <c>{"message":…}</c> object, as <c>error</c> events and refusals carry it.</summary>
    public static Action<Utf8JsonWriter> Message(string key, string message) => writer =>
    {
        writer.WriteStartObject();
        writer.WriteString(key, message);
        writer.WriteEndObject();
    };

    private static byte[] Frame(string prefix, Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write(Encoding.ASCII.GetBytes(prefix));
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }
}
