using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Mudbase.Serialization;

namespace Mudbase.Data;

/// <summary>A list's <c>pagination</c>: <c>pages</c> is accepted for <c>totalPages</c>, and <c>hasMore</c> is derived when absent.</summary>
internal sealed class PaginationWire
{
    public int Page { get; set; }

    public int Limit { get; set; }

    public long Total { get; set; }

    public int? TotalPages { get; set; }

    public int? Pages { get; set; }

    public bool? HasMore { get; set; }

    /// <summary>
    /// The facts of a page of <paramref name="count"/> items asked for as page <paramref name="page"/> of
    /// <paramref name="limit"/>: the server's, completed; without any (<paramref name="pagination"/> null), this page is all there is.
    /// </summary>
    public static PageFacts Resolve(PaginationWire? pagination, int page, int limit, int count)
    {
        if (pagination is null)
        {
            return new PageFacts(page, limit, (long)(page - 1) * limit + count, page, HasMore: false);
        }

        var totalPages = pagination.TotalPages ?? pagination.Pages
            ?? (pagination.Limit > 0 ? (int)Math.Min(int.MaxValue, (pagination.Total + pagination.Limit - 1) / pagination.Limit) : 0);
        var actualPage = pagination.Page > 0 ? pagination.Page : page;
        return new PageFacts(actualPage, pagination.Limit > 0 ? pagination.Limit : limit, pagination.Total, totalPages, pagination.HasMore ?? actualPage < totalPages);
    }
}

/// <summary>A list answer, <c>{data:[doc], pagination}</c>, read in one serializer call (see <see cref="DataWire.ListAnswerOf{T}"/>).</summary>
internal sealed class ListAnswer<T>
{
    public List<T>? Data { get; set; }

    public PaginationWire? Pagination { get; set; }
}

/// <summary>A single-document answer: <c>{data:doc}</c> or <c>{message, data:doc}</c>, or a bare document (it has an id).</summary>
internal sealed class DocumentAnswer<T>
{
    private T? _data;

    /// <summary>The first <c>data</c>, as <see cref="DataWire.IsEnvelope"/>'s reading takes it.</summary>
    public T? Data
    {
        get => _data;
        set
        {
            if (!HasData)
            {
                (_data, HasData) = (value, true);
            }
        }
    }

    public bool HasData { get; private set; }

    /// <summary>The top has <c>_id</c> or <c>id</c>, whatever its value.</summary>
    public bool HasId { get; set; }
}

/// <summary>Reads any value as "it is there" (true), without looking at it.</summary>
internal sealed class PresenceConverter : JsonConverter<bool>
{
    public static PresenceConverter Instance { get; } = new();

    public override bool HandleNull => true;

    public override bool Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        reader.Skip();
        return true;
    }

    public override void Write(Utf8JsonWriter writer, bool value, JsonSerializerOptions options) => writer.WriteBooleanValue(value);
}

/// <summary>Reads a list answer's <c>pagination</c> by the SDK's own metadata, inside metadata made on the caller's options.</summary>
internal sealed class PaginationConverter : JsonConverter<PaginationWire>
{
    public static PaginationConverter Instance { get; } = new();

    public override PaginationWire? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        JsonSerializer.Deserialize(ref reader, MudbaseJsonContext.Default.PaginationWire);

    public override void Write(Utf8JsonWriter writer, PaginationWire value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, MudbaseJsonContext.Default.PaginationWire);
}

/// <summary>A page's paging facts, as the public page types hold them.</summary>
internal readonly record struct PageFacts(int Page, int Limit, long Total, int TotalPages, bool HasMore);

/// <summary>
/// Reads the data answers around documents of the caller's type: a list <c>{data:[doc], pagination}</c>, and a single
/// document as <c>{data:doc}</c>, <c>{message, data:doc}</c> or a bare document. Synchronous over the buffered body.
/// </summary>
internal static class DataWire
{
    public static DocumentPage<T> ReadPage<T>(ReadOnlySpan<byte> json, (JsonTypeInfo<ListAnswer<T>>? TypeInfo, int Page, int Limit) request)
    {
        if (request.TypeInfo is not { } typeInfo)
        {
            return ReadPageFacts<T>(json, request.Page, request.Limit);
        }

        // The whole answer in one serializer call over the span: read from a reader instead, the serializer would first
        // skip over the value to find its end, a second pass over every document.
        var answer = JsonSerializer.Deserialize(json, typeInfo) ?? throw new JsonException("The list answer was the JSON literal null.");
        var items = answer.Data ?? throw new JsonException("The list answer has no 'data' array.");
        foreach (var item in items)
        {
            if (item is null)
            {
                throw new JsonException("A document was the JSON literal null.");
            }
        }

        var facts = PaginationWire.Resolve(answer.Pagination, request.Page, request.Limit, items.Count);
        return new DocumentPage<T>(items, facts.Page, facts.Limit, facts.Total, facts.TotalPages, facts.HasMore);
    }

    /// <summary>Only a list answer's paging facts (for a count): the documents are skipped unread.</summary>
    private static DocumentPage<T> ReadPageFacts<T>(ReadOnlySpan<byte> json, int page, int limit)
    {
        var reader = new Utf8JsonReader(json);
        ReadStartObject(ref reader);
        var hasData = false;
        PaginationWire? pagination = null;
        while (ReadProperty(ref reader))
        {
            if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    throw new JsonException($"Expected an array of documents, found {reader.TokenType}.");
                }

                reader.Skip();
                hasData = true;
            }
            else if (reader.ValueTextEquals("pagination"u8))
            {
                reader.Read();
                pagination = JsonSerializer.Deserialize(ref reader, MudbaseJsonContext.Default.PaginationWire);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }

        if (!hasData)
        {
            throw new JsonException("The list answer has no 'data' array.");
        }

        var facts = PaginationWire.Resolve(pagination, page, limit, 0);
        return new DocumentPage<T>([], facts.Page, facts.Limit, facts.Total, facts.TotalPages, facts.HasMore);
    }

    /// <summary>One document: the value of <c>data</c> when the root is an envelope, else the root itself.</summary>
    public static T ReadDocument<T>(ReadOnlySpan<byte> json, DocumentCollection<T> collection)
    {
        // One serializer call over the whole body in the usual case (an envelope): read from a reader instead, the
        // serializer would first skip over the document to find its end. An id at the top makes the root the document.
        DocumentAnswer<T>? answer;
        try
        {
            answer = JsonSerializer.Deserialize(json, collection.DocumentAnswerTypeInfo);
        }
        catch (Exception)
        {
            // The 'data' of something that is not an envelope may not read as a document: the whole answer decides.
            if (IsEnvelope(json))
            {
                throw;
            }

            return ReadRoot(json, collection.TypeInfo);
        }

        if (answer is null)
        {
            throw new JsonException("Expected a JSON object, found Null.");
        }

        if (answer.HasId)
        {
            return ReadRoot(json, collection.TypeInfo);
        }

        return !answer.HasData ? throw new JsonException(NoDocument)
            : answer.Data ?? throw new JsonException("A document was the JSON literal null.");
    }

    private const string NoDocument = "The answer holds no document: neither an id at its top nor a 'data' member.";

    private static T ReadRoot<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(json, typeInfo) ?? throw new JsonException("A document was the JSON literal null.");

    /// <summary>
    /// Whether the root wraps the document in <c>data</c> (<c>{data}</c>, <c>{message, data}</c>) rather than being one: a
    /// document has its id at the top, an envelope has <c>data</c> and no id. Whatever <c>data</c> holds (a null, an
    /// array) is then read as the document, and fails as one; a root with neither is not a document answer at all. Either
    /// way it fails rather than become a document without an id.
    /// </summary>
    internal static bool IsEnvelope(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        ReadStartObject(ref reader);
        var hasData = false;
        while (ReadProperty(ref reader))
        {
            if (reader.ValueTextEquals("_id"u8) || reader.ValueTextEquals("id"u8))
            {
                return false;
            }

            var isData = reader.ValueTextEquals("data"u8);
            reader.Read();
            hasData |= isData;
            reader.Skip();
        }

        return hasData ? true : throw new JsonException(NoDocument);
    }

    /// <summary>
    /// The metadata of a single-document answer around the caller's document: <c>data</c> read as one, and whether the
    /// top has an id (then the root is the document; see <see cref="IsEnvelope"/>). Other members are skipped.
    /// </summary>
    public static JsonTypeInfo<DocumentAnswer<T>> DocumentAnswerOf<T>(JsonTypeInfo<T> typeInfo)
    {
        var options = typeInfo.Options;
        var marker = JsonMetadataServices.CreateValueInfo<bool>(options, PresenceConverter.Instance);
        var answer = JsonMetadataServices.CreateObjectInfo(options, new JsonObjectInfoValues<DocumentAnswer<T>>
        {
            ObjectCreator = static () => new DocumentAnswer<T>(),
            PropertyMetadataInitializer = _ =>
            [
                JsonMetadataServices.CreatePropertyInfo(options, new JsonPropertyInfoValues<T>
                {
                    IsProperty = true,
                    IsPublic = true,
                    DeclaringType = typeof(DocumentAnswer<T>),
                    PropertyTypeInfo = typeInfo,
                    PropertyName = nameof(DocumentAnswer<T>.Data),
                    JsonPropertyName = "data",
                    Getter = static answer => ((DocumentAnswer<T>)answer).Data!,
                    Setter = static (answer, value) => ((DocumentAnswer<T>)answer).Data = value,
                }),
                IdMarker<T>(options, marker, "UnderscoreId", "_id"),
                IdMarker<T>(options, marker, "Id", "id"),
            ],
        });
        answer.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
        return answer;
    }

    private static JsonPropertyInfo IdMarker<T>(JsonSerializerOptions options, JsonTypeInfo<bool> marker, string name, string jsonName) =>
        JsonMetadataServices.CreatePropertyInfo(options, new JsonPropertyInfoValues<bool>
        {
            IsProperty = true,
            IsPublic = true,
            DeclaringType = typeof(DocumentAnswer<T>),
            PropertyTypeInfo = marker,
            PropertyName = name,
            JsonPropertyName = jsonName,
            Getter = static answer => ((DocumentAnswer<T>)answer).HasId,
            Setter = static (answer, value) => ((DocumentAnswer<T>)answer).HasId |= value,
        });

    /// <summary>
    /// The metadata of a list answer around the caller's documents, made from theirs and on their options (no reflection:
    /// what source generation does). Members other than <c>data</c> and <c>pagination</c> are skipped, whatever the
    /// caller's options say of unknown members; <c>pagination</c> is read by the SDK's own metadata.
    /// </summary>
    public static JsonTypeInfo<ListAnswer<T>> ListAnswerOf<T>(JsonTypeInfo<T> typeInfo)
    {
        var options = typeInfo.Options;
        var list = JsonMetadataServices.CreateListInfo<List<T>, T>(options, new JsonCollectionInfoValues<List<T>>
        {
            ObjectCreator = static () => [],
            ElementInfo = typeInfo,
        });
        var pagination = JsonMetadataServices.CreateValueInfo<PaginationWire>(options, PaginationConverter.Instance);
        var answer = JsonMetadataServices.CreateObjectInfo(options, new JsonObjectInfoValues<ListAnswer<T>>
        {
            ObjectCreator = static () => new ListAnswer<T>(),
            PropertyMetadataInitializer = _ =>
            [
                JsonMetadataServices.CreatePropertyInfo(options, new JsonPropertyInfoValues<List<T>>
                {
                    IsProperty = true,
                    IsPublic = true,
                    DeclaringType = typeof(ListAnswer<T>),
                    PropertyTypeInfo = list,
                    PropertyName = nameof(ListAnswer<T>.Data),
                    JsonPropertyName = "data",
                    Getter = static answer => ((ListAnswer<T>)answer).Data,
                    Setter = static (answer, value) => ((ListAnswer<T>)answer).Data = value,
                }),
                JsonMetadataServices.CreatePropertyInfo(options, new JsonPropertyInfoValues<PaginationWire>
                {
                    IsProperty = true,
                    IsPublic = true,
                    DeclaringType = typeof(ListAnswer<T>),
                    PropertyTypeInfo = pagination,
                    PropertyName = nameof(ListAnswer<T>.Pagination),
                    JsonPropertyName = "pagination",
                    Getter = static answer => ((ListAnswer<T>)answer).Pagination,
                    Setter = static (answer, value) => ((ListAnswer<T>)answer).Pagination = value,
                }),
            ],
        });
        answer.UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip;
        return answer;
    }

    private static void ReadStartObject(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"Expected a JSON object, found {reader.TokenType}.");
        }
    }

    /// <summary>Moves to the next property name of the current object; false at its end.</summary>
    private static bool ReadProperty(ref Utf8JsonReader reader) =>
        reader.Read() && reader.TokenType == JsonTokenType.PropertyName;
}
