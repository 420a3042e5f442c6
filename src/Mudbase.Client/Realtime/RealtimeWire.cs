using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Mudbase.Data;

namespace Mudbase.Realtime;

/// <summary>A document as the realtime layer keeps it: its id, a hash of its JSON (to tell a change from a repeat) and the caller's object.</summary>
internal readonly record struct RawDocument<T>(string Id, ulong Hash, T Document);

/// <summary>A <c>db:*</c> event's envelope: the collection it names and where its <c>data</c> lies in the packet.</summary>
internal readonly record struct ChangeEnvelope(string CollectionId, int DataStart, int DataLength);

/// <summary>The emits' payloads, serialized by generated code.</summary>
internal sealed record SubscribeCollectionPayload(string ProjectId, string CollectionId);

internal sealed record UnsubscribeCollectionPayload(string CollectionId);

internal sealed record SubscribeQueryPayload(string ProjectId, string CollectionId, string QueryId, JsonElement Query);

internal sealed record UnsubscribeQueryPayload(string QueryId);

/// <summary>The answer to a subscription: <c>{type, id, projectId}</c>, or <c>{error}</c> when it was refused.</summary>
internal sealed record SubscribedAnswer(string? Type, string? Id, string? ProjectId, string? Error, string? Message);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SubscribeCollectionPayload))]
[JsonSerializable(typeof(UnsubscribeCollectionPayload))]
[JsonSerializable(typeof(SubscribeQueryPayload))]
[JsonSerializable(typeof(UnsubscribeQueryPayload))]
[JsonSerializable(typeof(SubscribedAnswer))]
internal sealed partial class RealtimeJsonContext : JsonSerializerContext;

/// <summary>
/// Reads the realtime events and the REST answers a watch starts from, with <see cref="Utf8JsonReader"/> over the
/// received bytes: the caller's <see cref="JsonTypeInfo{T}"/> reads each document straight from its slice.
/// </summary>
internal static class RealtimeWire
{
    /// <summary>
    /// <c>["db:…", {projectId, collectionId, action, data, timestamp}]</c>: the collection and the <c>data</c> slice; false
    /// for anything else (the event is then ignored, as an unknown one would be). A collection id equal to
    /// <paramref name="recent"/> is given as that string, not a new one.
    /// </summary>
    public static bool TryReadChange(ReadOnlySpan<byte> packet, string? recent, out ChangeEnvelope envelope)
    {
        envelope = default;
        var reader = new Utf8JsonReader(packet);
        if (!EnterPayload(ref reader))
        {
            return false;
        }

        string? collectionId = null;
        int dataStart = -1, dataLength = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("collectionId"u8))
            {
                reader.Read();
                collectionId = reader.TokenType != JsonTokenType.String ? null
                    : recent is not null && reader.ValueTextEquals(recent) ? recent
                    : reader.GetString();
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    dataStart = (int)reader.TokenStartIndex;
                    reader.Skip();
                    dataLength = (int)reader.BytesConsumed - dataStart;
                }
                else
                {
                    reader.Skip();
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (collectionId is null || dataStart < 0)
        {
            return false;
        }

        envelope = new ChangeEnvelope(collectionId, dataStart, dataLength);
        return true;
    }

    /// <summary><c>["query:change", {queryId, documents:[…]}]</c>: the query's id, or null for anything else.</summary>
    public static string? ReadQueryId(ReadOnlySpan<byte> packet)
    {
        var reader = new Utf8JsonReader(packet);
        if (!EnterPayload(ref reader))
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isId = reader.ValueTextEquals("queryId"u8);
            reader.Read();
            if (isId)
            {
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }

            reader.Skip();
        }

        return null;
    }

    /// <summary>The documents of a <c>query:change</c>, in the server's order.</summary>
    public static List<RawDocument<T>> ReadQueryDocuments<T>(ReadOnlySpan<byte> packet, JsonTypeInfo<T> typeInfo)
    {
        var reader = new Utf8JsonReader(packet);
        if (!EnterPayload(ref reader))
        {
            throw new JsonException("A query:change event must carry an object.");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isDocuments = reader.ValueTextEquals("documents"u8);
            reader.Read();
            if (isDocuments)
            {
                return ReadDocumentArray(ref reader, packet, typeInfo);
            }

            reader.Skip();
        }

        throw new JsonException("A query:change event has no 'documents' array.");
    }

    /// <summary>A list answer's documents, and the server's total (null when it gave none).</summary>
    public static (List<RawDocument<T>> Documents, long? Total) ReadListPage<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> typeInfo)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("Expected a JSON object.");
        }

        List<RawDocument<T>>? documents = null;
        long? total = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                documents = ReadDocumentArray(ref reader, json, typeInfo);
            }
            else if (reader.ValueTextEquals("pagination"u8))
            {
                reader.Read();
                total = JsonSerializer.Deserialize(ref reader, Serialization.MudbaseJsonContext.Default.PaginationWire)?.Total;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        return (documents ?? throw new JsonException("The list answer has no 'data' array."), total);
    }

    /// <summary>A get answer's document (<c>{data:doc}</c>, <c>{message, data:doc}</c> or a bare document).</summary>
    public static RawDocument<T> ReadGetAnswer<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> typeInfo)
    {
        if (!DataWire.IsEnvelope(json))
        {
            return ReadDocument(json, typeInfo);
        }

        var reader = new Utf8JsonReader(json);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isData = reader.ValueTextEquals("data"u8);
            reader.Read();
            if (isData)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                return ReadDocument(json.Slice(start, (int)reader.BytesConsumed - start), typeInfo);
            }

            reader.Skip();
        }

        throw new JsonException("The answer holds no document.");
    }

    /// <summary>One document's JSON: its id, hash and the caller's object.</summary>
    public static RawDocument<T> ReadDocument<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> typeInfo)
    {
        var id = ReadDocumentId(json) ?? throw new JsonException("A document has neither '_id' nor 'id'.");
        var document = JsonSerializer.Deserialize(json, typeInfo) ?? throw new JsonException("A document was null.");
        return new RawDocument<T>(id, Hash(json), document);
    }

    /// <summary>The document's <c>_id</c>, else its <c>id</c> (the server sends either; a deletion's data may hold only one).</summary>
    public static string? ReadDocumentId(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        string? id = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isUnderscore = reader.ValueTextEquals("_id"u8);
            var isId = !isUnderscore && reader.ValueTextEquals("id"u8);
            reader.Read();
            if ((isUnderscore || (isId && id is null)) && reader.TokenType is JsonTokenType.String or JsonTokenType.Number)
            {
                id = reader.TokenType == JsonTokenType.String ? reader.GetString() : System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
                if (isUnderscore)
                {
                    return id;
                }
            }
            else
            {
                reader.Skip();
            }
        }

        return id;
    }

    /// <summary>
    /// An <c>error</c> event that carries a <c>limit</c> (the plan's connection limit, after which the server disconnects):
    /// its message; null for any other error (a refused subscription is answered on its own ack).
    /// </summary>
    public static string? ReadLimitError(ReadOnlySpan<byte> packet)
    {
        var reader = new Utf8JsonReader(packet);
        if (!EnterPayload(ref reader))
        {
            return null;
        }

        string? message = null;
        var hasLimit = false;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isMessage = reader.ValueTextEquals("message"u8);
            hasLimit |= reader.ValueTextEquals("limit"u8);
            reader.Read();
            if (isMessage && reader.TokenType == JsonTokenType.String)
            {
                message = reader.GetString();
            }
            else
            {
                reader.Skip();
            }
        }

        return hasLimit ? message ?? "the realtime connection limit was reached" : null;
    }

    /// <summary>The answer to a subscription emitted with an ack; null when the server acked with nothing.</summary>
    public static SubscribedAnswer? ReadSubscribed(Protocol.SocketIoAck ack) =>
        ack.Count == 0 ? null : ack.GetArgument(0, RealtimeJsonContext.Default.SubscribedAnswer);

    /// <summary>
    /// FNV-1a over the document's bytes: tells an event that changes a document from one that repeats what the stream
    /// already holds. Not a security boundary: a collision only costs one missed "modified" between identical-looking states.
    /// </summary>
    public static ulong Hash(ReadOnlySpan<byte> json)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in json)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }

    private static List<RawDocument<T>> ReadDocumentArray<T>(ref Utf8JsonReader reader, ReadOnlySpan<byte> json, JsonTypeInfo<T> typeInfo)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new JsonException($"Expected an array of documents, found {reader.TokenType}.");
        }

        var documents = new List<RawDocument<T>>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var start = (int)reader.TokenStartIndex;
            reader.Skip();
            documents.Add(ReadDocument(json.Slice(start, (int)reader.BytesConsumed - start), typeInfo));
        }

        return documents;
    }

    /// <summary>Moves past <c>["name",</c> onto the payload's <c>{</c>; false when the payload is not an object.</summary>
    private static bool EnterPayload(ref Utf8JsonReader reader) =>
        reader.Read() && reader.TokenType == JsonTokenType.StartArray
        && reader.Read() && reader.TokenType == JsonTokenType.String
        && reader.Read() && reader.TokenType == JsonTokenType.StartObject;
}
