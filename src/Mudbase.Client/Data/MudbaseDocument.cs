using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Mudbase.Internal;

namespace Mudbase.Data;

/// <summary>
/// A document of a collection, untyped and lossless: the id and timestamps the server manages, and every other field
/// exactly as sent. Fields this SDK knows nothing about survive a read-modify-write round trip.
/// </summary>
/// <remarks>
/// The id is read from <c>_id</c>, or from <c>id</c> when there is no <c>_id</c> (the server sends either); it is
/// written back under the same name. When both are present, <c>id</c> is an ordinary field and stays in
/// <see cref="Fields"/>. <c>createdAt</c> and <c>updatedAt</c> are written back exactly as they were read, even when
/// they do not parse as dates (their properties are then null). Serializes with
/// <see cref="MudbaseDocumentJsonConverter"/>, which source-generated contexts pick up from the type.
/// A document the converter reads keeps its JSON and builds <see cref="Fields"/> from it on first use of
/// <see cref="Fields"/> or the indexer: a page that is only listed, or passed on unchanged, costs no object per field.
/// Until then it is written back as read (compacted, the id and timestamps first); from then on, from
/// <see cref="Fields"/>.
/// </remarks>
[JsonConverter(typeof(MudbaseDocumentJsonConverter))]
public sealed class MudbaseDocument
{
    private const string CreatedAtName = "createdAt";
    private const string UpdatedAtName = "updatedAt";

    /// <summary><c>_id</c> or <c>id</c>: the name the id came under, or null for a new document.</summary>
    private readonly string? _idName;

    /// <summary>
    /// The document's JSON as read (compact, its id and timestamps first), until <see cref="_parsed"/> is made from it;
    /// null for a document built from a <see cref="JsonObject"/>.
    /// </summary>
    private byte[]? _utf8;

    /// <summary>How many of <see cref="_utf8"/>'s first members are the id and timestamps (0 to 3).</summary>
    private readonly int _managedCount;

    private Parsed? _parsed;

    /// <summary>A new document, with no id and no fields yet: set them with the indexer or on <see cref="Fields"/>.</summary>
    public MudbaseDocument()
    {
        _parsed = new Parsed([]);
    }

    /// <summary>A document read from JSON, such as one item of a list call's <c>data</c>.</summary>
    /// <param name="document">The document. It is copied: changing it afterwards does not change this document.</param>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    public MudbaseDocument(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var source = (JsonObject)document.DeepClone();
        _idName = IdName(source.TryGetPropertyValue("_id", out var underscoreId) && underscoreId is not null,
            source.TryGetPropertyValue("id", out var plainId) && plainId is not null);
        _parsed = Parsed.TakeApart(source, _idName);
        Id = ReadId(_parsed.Id);
        CreatedAt = ReadDate(_parsed.CreatedAt);
        UpdatedAt = ReadDate(_parsed.UpdatedAt);
    }

    /// <summary>A document over its JSON (see <see cref="MudbaseDocumentJsonConverter"/>), with what was read from it.</summary>
    internal MudbaseDocument(byte[] utf8, int managedCount, string? idName, string? id, DateTimeOffset? createdAt, DateTimeOffset? updatedAt)
    {
        _utf8 = utf8;
        _managedCount = managedCount;
        _idName = idName;
        Id = id;
        CreatedAt = createdAt;
        UpdatedAt = updatedAt;
    }

    /// <summary>The document's id (from <c>_id</c>, or <c>id</c>), or null for a document the server has not stored yet.</summary>
    public string? Id { get; }

    /// <summary>When the server created the document (<c>createdAt</c>), or null when absent or not a date.</summary>
    public DateTimeOffset? CreatedAt { get; }

    /// <summary>When the server last updated the document (<c>updatedAt</c>), or null when absent or not a date.</summary>
    public DateTimeOffset? UpdatedAt { get; }

    /// <summary>Every field other than the id, <c>createdAt</c> and <c>updatedAt</c>, as sent; change it freely.</summary>
    public JsonObject Fields => GetParsed().Fields;

    /// <summary>
    /// A field's value, or null when absent. Reading <c>_id</c> (or <c>id</c> when that is where the id came from),
    /// <c>createdAt</c> or <c>updatedAt</c> gives the value the server sent; those names cannot be set. Setting
    /// <see langword="null"/> stores JSON <c>null</c>, which clears the field in an update; to leave a field out,
    /// remove it from <see cref="Fields"/>.
    /// </summary>
    /// <param name="field">The field's name.</param>
    /// <returns>The field's value.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="field"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// <paramref name="field"/> is blank, or (when setting) names a field the server manages.
    /// </exception>
    public JsonNode? this[string field]
    {
        get
        {
            Guard.NotBlank(field, nameof(field));
            var parsed = GetParsed();
            if (IsServerManaged(field))
            {
                return field == _idName ? parsed.Id : field == CreatedAtName ? parsed.CreatedAt : field == UpdatedAtName ? parsed.UpdatedAt : null;
            }

            return parsed.Fields.TryGetPropertyValue(field, out var value) ? value : null;
        }

        set
        {
            Guard.NotBlank(field, nameof(field));
            if (IsServerManaged(field))
            {
                throw new ArgumentException($"{field} is managed by the server and cannot be set on a document.", nameof(field));
            }

            GetParsed().Fields[field] = value;
        }
    }

    /// <summary>The whole document as JSON: the id under the name it came with, the timestamps as sent, then every field.</summary>
    /// <returns>A new object, independent of this document.</returns>
    public JsonObject ToJsonObject()
    {
        if (TryGetUnparsed(out var utf8))
        {
            return JsonNode.Parse(utf8)!.AsObject();
        }

        var parsed = _parsed!;
        var result = new JsonObject();
        if (_idName is not null && parsed.HasId)
        {
            result[_idName] = parsed.Id?.DeepClone();
        }

        if (parsed.HasCreatedAt)
        {
            result[CreatedAtName] = parsed.CreatedAt?.DeepClone();
        }

        if (parsed.HasUpdatedAt)
        {
            result[UpdatedAtName] = parsed.UpdatedAt?.DeepClone();
        }

        foreach (var property in parsed.Fields)
        {
            result[property.Key] = property.Value?.DeepClone();
        }

        return result;
    }

    /// <summary>The document's JSON, compact.</summary>
    /// <returns>The JSON text.</returns>
    public override string ToString() => FilterJson.Write(this, static (writer, document) => document.WriteTo(writer, reencode: true));

    /// <summary>
    /// Writes the document: as read while nobody has looked at its fields, else from them. <paramref name="reencode"/>
    /// writes even a document as read through <paramref name="writer"/>'s own escaping and indentation.
    /// </summary>
    internal void WriteTo(Utf8JsonWriter writer, bool reencode, JsonSerializerOptions? options = null)
    {
        if (TryGetUnparsed(out var utf8))
        {
            if (reencode)
            {
                using var document = JsonDocument.Parse(utf8);
                document.RootElement.WriteTo(writer);
            }
            else
            {
                // Already checked and compacted when read.
                writer.WriteRawValue(utf8, skipInputValidation: true);
            }

            return;
        }

        var parsed = _parsed!;
        writer.WriteStartObject();
        if (_idName is not null && parsed.HasId)
        {
            writer.WritePropertyName(_idName);
            WriteNode(writer, parsed.Id, options);
        }

        if (parsed.HasCreatedAt)
        {
            writer.WritePropertyName(CreatedAtName);
            WriteNode(writer, parsed.CreatedAt, options);
        }

        if (parsed.HasUpdatedAt)
        {
            writer.WritePropertyName(UpdatedAtName);
            WriteNode(writer, parsed.UpdatedAt, options);
        }

        foreach (var property in parsed.Fields)
        {
            writer.WritePropertyName(property.Key);
            WriteNode(writer, property.Value, options);
        }

        writer.WriteEndObject();
    }

    /// <summary><c>_id</c> when it holds a value, else <c>id</c> when that does, else no id.</summary>
    internal static string? IdName(bool hasUnderscoreId, bool hasId) => hasUnderscoreId ? "_id" : hasId ? "id" : null;

    /// <summary>The id as text: a string as it is, anything else as its JSON.</summary>
    private static string? ReadId(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => node.ToJsonString(),
    };

    internal static DateTimeOffset? ReadDate(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date) ? date : null;

    private static DateTimeOffset? ReadDate(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) ? ReadDate(text) : null;

    private static void WriteNode(Utf8JsonWriter writer, JsonNode? node, JsonSerializerOptions? options)
    {
        if (node is null)
        {
            writer.WriteNullValue();
        }
        else
        {
            node.WriteTo(writer, options);
        }
    }

    private bool IsServerManaged(string field) =>
        field is "_id" or CreatedAtName or UpdatedAtName || field == _idName;

    /// <summary>The JSON as read, while <see cref="Fields"/> has not been made from it.</summary>
    private bool TryGetUnparsed(out byte[] utf8)
    {
        // _utf8 is cleared only after _parsed is set: read in the other order, one of the two is always there.
        var raw = Volatile.Read(ref _utf8);
        utf8 = raw!;
        return raw is not null && Volatile.Read(ref _parsed) is null;
    }

    private Parsed GetParsed()
    {
        if (Volatile.Read(ref _parsed) is { } parsed)
        {
            return parsed;
        }

        var utf8 = Volatile.Read(ref _utf8);
        if (utf8 is null)
        {
            return Volatile.Read(ref _parsed)!;
        }

        // The JSON was checked when read (an object, no name twice at its top), so this cannot fail. Two threads may
        // both parse: the first to finish wins, and both see its fields.
        var made = Parsed.FromJson(utf8, _managedCount, _idName);
        parsed = Interlocked.CompareExchange(ref _parsed, made, null) ?? made;
        Volatile.Write(ref _utf8, null);
        return parsed;
    }

    /// <summary>The document taken apart: its ordinary fields, and the members the server manages when present (a value may be JSON null).</summary>
    private sealed class Parsed(JsonObject fields)
    {
        public JsonObject Fields { get; } = fields;

        public bool HasId { get; private init; }

        public JsonNode? Id { get; private init; }

        public bool HasCreatedAt { get; private init; }

        public JsonNode? CreatedAt { get; private init; }

        public bool HasUpdatedAt { get; private init; }

        public JsonNode? UpdatedAt { get; private init; }

        /// <summary>Takes the server's members out of <paramref name="document"/>, which becomes the fields.</summary>
        public static Parsed TakeApart(JsonObject document, string? idName)
        {
            var hasId = Take(document, idName, out var id);
            var hasCreatedAt = Take(document, CreatedAtName, out var createdAt);
            var hasUpdatedAt = Take(document, UpdatedAtName, out var updatedAt);
            return new Parsed(document)
            {
                HasId = hasId,
                Id = id,
                HasCreatedAt = hasCreatedAt,
                CreatedAt = createdAt,
                HasUpdatedAt = hasUpdatedAt,
                UpdatedAt = updatedAt,
            };
        }

        /// <summary>
        /// The nodes of a document's JSON, whose first <paramref name="managedCount"/> members are the id and timestamps:
        /// nodes over one parsed copy, each read further only when looked into (as <see cref="JsonNode.Parse(string, JsonNodeOptions?, JsonDocumentOptions)"/> makes them).
        /// </summary>
        public static Parsed FromJson(byte[] utf8, int managedCount, string? idName)
        {
            var reader = new Utf8JsonReader(utf8);
            var root = JsonElement.ParseValue(ref reader);
            var fields = new JsonObject();
            bool hasId = false, hasCreatedAt = false, hasUpdatedAt = false;
            JsonNode? id = null, createdAt = null, updatedAt = null;
            var index = 0;
            foreach (var member in root.EnumerateObject())
            {
                var node = Node(member.Value);
                if (index++ >= managedCount)
                {
                    fields.Add(member.Name, node);
                }
                else if (idName is not null && member.NameEquals(idName))
                {
                    (hasId, id) = (true, node);
                }
                else if (member.NameEquals(CreatedAtName))
                {
                    (hasCreatedAt, createdAt) = (true, node);
                }
                else
                {
                    (hasUpdatedAt, updatedAt) = (true, node);
                }
            }

            return new Parsed(fields)
            {
                HasId = hasId,
                Id = id,
                HasCreatedAt = hasCreatedAt,
                CreatedAt = createdAt,
                HasUpdatedAt = hasUpdatedAt,
                UpdatedAt = updatedAt,
            };
        }

        private static JsonNode? Node(JsonElement value) => value.ValueKind switch
        {
            JsonValueKind.Object => JsonObject.Create(value),
            JsonValueKind.Array => JsonArray.Create(value),
            JsonValueKind.Null => null,
            _ => JsonValue.Create(value),
        };

        private static bool Take(JsonObject document, string? name, out JsonNode? value)
        {
            if (name is null || !document.TryGetPropertyValue(name, out value))
            {
                value = null;
                return false;
            }

            document.Remove(name);
            return true;
        }
    }
}
