using System.Globalization;
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
/// </remarks>
[JsonConverter(typeof(MudbaseDocumentJsonConverter))]
public sealed class MudbaseDocument
{
    private const string CreatedAtName = "createdAt";
    private const string UpdatedAtName = "updatedAt";

    /// <summary><c>_id</c> or <c>id</c>: the name the id came under, or null for a new document.</summary>
    private readonly string? _idName;

    private readonly JsonNode? _idNode;
    private readonly JsonNode? _createdAtNode;
    private readonly JsonNode? _updatedAtNode;

    /// <summary>A new document, with no id and no fields yet: set them with the indexer or on <see cref="Fields"/>.</summary>
    public MudbaseDocument()
    {
        Fields = [];
    }

    /// <summary>A document read from JSON, such as one item of a list call's <c>data</c>.</summary>
    /// <param name="document">The document. It is copied: changing it afterwards does not change this document.</param>
    /// <exception cref="ArgumentNullException"><paramref name="document"/> is null.</exception>
    public MudbaseDocument(JsonObject document)
        : this(Owned(document))
    {
    }

    /// <summary>Takes the nodes of <paramref name="document"/>, which the caller gives up.</summary>
    private MudbaseDocument(Ownership document)
    {
        var source = document.Value;
        var properties = source.ToList();
        source.Clear();

        _idName = properties.Any(property => property.Key == "_id" && property.Value is not null) ? "_id"
            : properties.Any(property => property.Key == "id" && property.Value is not null) ? "id"
            : null;

        Fields = [];
        foreach (var property in properties)
        {
            if (property.Key == _idName)
            {
                _idNode = property.Value;
                Id = ReadId(property.Value);
            }
            else if (property.Key == CreatedAtName)
            {
                _createdAtNode = property.Value;
                CreatedAt = ReadDate(property.Value);
            }
            else if (property.Key == UpdatedAtName)
            {
                _updatedAtNode = property.Value;
                UpdatedAt = ReadDate(property.Value);
            }
            else
            {
                Fields[property.Key] = property.Value;
            }
        }
    }

    /// <summary>The document's id (from <c>_id</c>, or <c>id</c>), or null for a document the server has not stored yet.</summary>
    public string? Id { get; }

    /// <summary>When the server created the document (<c>createdAt</c>), or null when absent or not a date.</summary>
    public DateTimeOffset? CreatedAt { get; }

    /// <summary>When the server last updated the document (<c>updatedAt</c>), or null when absent or not a date.</summary>
    public DateTimeOffset? UpdatedAt { get; }

    /// <summary>Every field other than the id, <c>createdAt</c> and <c>updatedAt</c>, as sent; change it freely.</summary>
    public JsonObject Fields { get; }

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
            if (IsServerManaged(field))
            {
                return field == _idName ? _idNode : field == CreatedAtName ? _createdAtNode : field == UpdatedAtName ? _updatedAtNode : null;
            }

            return Fields.TryGetPropertyValue(field, out var value) ? value : null;
        }

        set
        {
            Guard.NotBlank(field, nameof(field));
            if (IsServerManaged(field))
            {
                throw new ArgumentException($"{field} is managed by the server and cannot be set on a document.", nameof(field));
            }

            Fields[field] = value;
        }
    }

    /// <summary>The whole document as JSON: the id under the name it came with, the timestamps as sent, then every field.</summary>
    /// <returns>A new object, independent of this document.</returns>
    public JsonObject ToJsonObject()
    {
        var result = new JsonObject();
        if (_idName is not null)
        {
            result[_idName] = _idNode?.DeepClone();
        }

        if (_createdAtNode is not null)
        {
            result[CreatedAtName] = _createdAtNode.DeepClone();
        }

        if (_updatedAtNode is not null)
        {
            result[UpdatedAtName] = _updatedAtNode.DeepClone();
        }

        foreach (var property in Fields)
        {
            result[property.Key] = property.Value?.DeepClone();
        }

        return result;
    }

    /// <summary>The document's JSON, compact.</summary>
    /// <returns>The JSON text.</returns>
    public override string ToString() => FilterJson.Write(ToJsonObject());

    /// <summary>Wraps an object this document may take apart (see <see cref="MudbaseDocumentJsonConverter"/>).</summary>
    internal static MudbaseDocument FromOwned(JsonObject document) => new(new Ownership(document));

    private bool IsServerManaged(string field) =>
        field is "_id" or CreatedAtName or UpdatedAtName || field == _idName;

    private static Ownership Owned(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return new Ownership((JsonObject)document.DeepClone());
    }

    private static string? ReadId(JsonNode? node) => node switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var text) => text,
        _ => node.ToJsonString(),
    };

    private static DateTimeOffset? ReadDate(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text)
        && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var date)
            ? date
            : null;

    /// <summary>An object handed over for the document to take apart, as opposed to one to copy first.</summary>
    private readonly struct Ownership(JsonObject value)
    {
        public JsonObject Value { get; } = value;
    }
}
