using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Mudbase.Benchmarks;

/// <summary>
/// The realtime baseline: what a user writes by hand to watch a collection with <see cref="ClientWebSocket"/>. One loop
/// reads each message whole into one reused buffer, answers pings, and parses <c>42["db:…",{…,"data":{…}}]</c> with
/// <see cref="Utf8JsonReader"/>, the document read straight from its slice with the same source-generated
/// <see cref="JsonTypeInfo{T}"/> the SDK is given. No reconnects, no resync, no buffer between the socket and the
/// consumer (the consumer runs inside the receive loop), no event name or collection id strings.
/// </summary>
public static class HandWrittenRealtime
{
    /// <summary>What the baseline yields: the change and its document (null for a deletion).</summary>
    public readonly record struct Change<T>(ChangeAction Action, T? Document);

    public enum ChangeAction
    {
        Create,
        Update,
        Delete,
    }

    /// <summary>Connects, signs in with <paramref name="token"/>, subscribes to the collection and yields its changes.</summary>
    public static async IAsyncEnumerable<Change<T>> WatchAsync<T>(
        Uri baseUrl, string token, string projectId, string collection, JsonTypeInfo<T> typeInfo, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var socket = await ConnectAsync(baseUrl, token, projectId, collection, cancellationToken);
        var buffer = new byte[16 * 1024];
        while (true)
        {
            // One whole message into the buffer, grown when a message does not fit.
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                length += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                yield break;
            }

            if (length == 1 && buffer[0] == (byte)'2')
            {
                await socket.SendAsync(Pong, WebSocketMessageType.Text, true, cancellationToken);
                continue;
            }

            if (length > 2 && buffer[0] == (byte)'4' && buffer[1] == (byte)'2' && Parse(buffer.AsSpan(2, length - 2), typeInfo) is { } change)
            {
                yield return change;
            }
        }
    }

    /// <summary>The floor of any ClientWebSocket client: the same handshake, each message received whole, nothing parsed.</summary>
    public static async IAsyncEnumerable<int> ReceiveOnlyAsync(
        Uri baseUrl, string token, string projectId, string collection, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var socket = await ConnectAsync(baseUrl, token, projectId, collection, cancellationToken);
        var buffer = new byte[16 * 1024];
        while (true)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                if (length == buffer.Length)
                {
                    Array.Resize(ref buffer, buffer.Length * 2);
                }

                result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                length += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                yield break;
            }

            if (length == 1 && buffer[0] == (byte)'2')
            {
                await socket.SendAsync(Pong, WebSocketMessageType.Text, true, cancellationToken);
                continue;
            }

            if (length > 2 && buffer[0] == (byte)'4' && buffer[1] == (byte)'2')
            {
                yield return length;
            }
        }
    }

    private static readonly byte[] Pong = "3"u8.ToArray();

    private static async Task<ClientWebSocket> ConnectAsync(Uri baseUrl, string token, string projectId, string collection, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://{baseUrl.Authority}/socket.io/?EIO=4&transport=websocket"), cancellationToken);
        var buffer = new byte[64 * 1024];
        await ExpectAsync(socket, buffer, "0"u8.ToArray(), cancellationToken);
        await SendTextAsync(socket, "40" + JsonSerializer.Serialize(new Dictionary<string, string> { ["token"] = token }, HandWrittenRealtimeJson.Default.DictionaryStringString), cancellationToken);
        await ExpectAsync(socket, buffer, "40"u8.ToArray(), cancellationToken);
        await SendTextAsync(socket, $$"""420["subscribe:collection",{"projectId":"{{projectId}}","collectionId":"{{collection}}"}]""", cancellationToken);
        await ExpectAsync(socket, buffer, "430"u8.ToArray(), cancellationToken);
        return socket;
    }

    // Reads messages until one starts with prefix (answering pings meanwhile); the handshake's are small.
    private static async Task ExpectAsync(ClientWebSocket socket, byte[] buffer, byte[] prefix, CancellationToken cancellationToken)
    {
        while (true)
        {
            var length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(length), cancellationToken);
                length += result.Count;
            }
            while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException("The server closed the WebSocket during the handshake.");
            }

            if (buffer.AsSpan(0, length).StartsWith(prefix))
            {
                return;
            }

            if (buffer.AsSpan(0, length).StartsWith("44"u8))
            {
                throw new InvalidOperationException("Refused: " + Encoding.UTF8.GetString(buffer, 0, length));
            }

            if (length == 1 && buffer[0] == (byte)'2')
            {
                await socket.SendAsync(Pong, WebSocketMessageType.Text, true, cancellationToken);
            }
        }
    }

    private static Task SendTextAsync(ClientWebSocket socket, string text, CancellationToken cancellationToken) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, cancellationToken);

    // ["db:create|update|delete",{…,"data":{…},…}] → the change; anything else → null.
    private static Change<T>? Parse<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> typeInfo)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray || !reader.Read() || reader.TokenType != JsonTokenType.String)
        {
            return null;
        }

        ChangeAction action;
        if (reader.ValueTextEquals("db:update"u8))
        {
            action = ChangeAction.Update;
        }
        else if (reader.ValueTextEquals("db:create"u8))
        {
            action = ChangeAction.Create;
        }
        else if (reader.ValueTextEquals("db:delete"u8))
        {
            action = ChangeAction.Delete;
        }
        else
        {
            return null;
        }

        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isData = reader.ValueTextEquals("data"u8);
            reader.Read();
            if (isData)
            {
                return new Change<T>(action, action == ChangeAction.Delete ? default : JsonSerializer.Deserialize(ref reader, typeInfo));
            }

            reader.Skip();
        }

        return null;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class HandWrittenRealtimeJson : System.Text.Json.Serialization.JsonSerializerContext;
