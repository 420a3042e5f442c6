using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Mudbase.Serialization;

namespace Mudbase.Collections;

// The shapes on the wire (CONTRACT.md, Collections), read leniently: unknown fields are ignored (or, on fields and
// permission rules, kept to be sent back), and every field but the id may be missing.

/// <summary>The list: <c>{collections:[Collection], total}</c>.</summary>
internal sealed class CollectionListAnswer : IJsonOnDeserialized
{
    public List<CollectionAnswer?>? Collections { get; set; }

    void IJsonOnDeserialized.OnDeserialized()
    {
        if (Collections is null)
        {
            throw new JsonException("The list answer has no 'collections' array.");
        }
    }
}

/// <summary>
/// A collection (<c>{_id, name, slug, project, fields, permissions, settings, createdAt, updatedAt}</c>, as get answers),
/// or the <c>{message, collection}</c> envelope around one (as create and update answer): either is read for any call.
/// </summary>
internal sealed class CollectionAnswer : IJsonOnDeserialized
{
    [JsonPropertyName("_id")]
    public string? MongoId { get; set; }

    public string? Id { get; set; }

    public string? Name { get; set; }

    public string? Slug { get; set; }

    /// <summary>The project's id, or the project itself when the server populated it.</summary>
    public JsonNode? Project { get; set; }

    public List<FieldWire?>? Fields { get; set; }

    public List<PermissionWire?>? Permissions { get; set; }

    public JsonNode? Settings { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? CreatedAt { get; set; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? UpdatedAt { get; set; }

    /// <summary>The envelope's collection, when this is an envelope.</summary>
    public CollectionAnswer? Collection { get; set; }

    void IJsonOnDeserialized.OnDeserialized()
    {
        if (Collection is null && MongoId is null && Id is null)
        {
            throw new JsonException("The answer is no collection: it has no '_id' or 'id', and no 'collection' inside.");
        }
    }
}

/// <summary>A field, read and sent: <c>{name, type, required?, unique?, default?, validation?, …}</c>.</summary>
internal sealed class FieldWire
{
    public string? Name { get; set; }

    public string? Type { get; set; }

    public bool? Required { get; set; }

    public bool? Unique { get; set; }

    public JsonNode? Default { get; set; }

    public JsonNode? Validation { get; set; }

    /// <summary>What else the field has (its <c>ui</c>, its own <c>_id</c>): kept so an update sends it back.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unmapped { get; set; }
}

/// <summary>A permission rule, read and sent: <c>{role, actions, fields?, condition?, …}</c>.</summary>
internal sealed class PermissionWire
{
    public string? Role { get; set; }

    public List<string?>? Actions { get; set; }

    public List<string?>? Fields { get; set; }

    public JsonNode? Condition { get; set; }

    /// <summary>The spelling a deployed app uses (EVIDENCE.md, section 1); read only, never sent.</summary>
    public JsonNode? Conditions { get; set; }

    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Unmapped { get; set; }
}

/// <summary>The body of create (<c>name</c> and <c>fields</c> set) and of update (only what changes): absent fields are omitted.</summary>
internal sealed class CollectionBody
{
    public string? Name { get; init; }

    public string? Slug { get; init; }

    public List<FieldWire>? Fields { get; init; }

    public List<PermissionWire>? Permissions { get; init; }

    public JsonObject? Settings { get; init; }
}

/// <summary>From the wire models to the public types and back.</summary>
internal static class CollectionsWire
{
    public static IReadOnlyList<CollectionSchema> ToSchemas(CollectionListAnswer answer, string projectId) =>
        answer.Collections!.OfType<CollectionAnswer>().Select(collection => ToSchema(collection, projectId)).ToArray();

    /// <summary>The collection, unwrapped from its envelope if it has one; <paramref name="projectId"/> is the one the call was for.</summary>
    public static CollectionSchema ToSchema(CollectionAnswer answer, string projectId)
    {
        var collection = answer.Collection ?? answer;
        return new CollectionSchema(
            collection.MongoId ?? collection.Id ?? "",
            collection.Name ?? "",
            WireValues.IdOf(collection.Project) ?? projectId,
            collection.Fields?.OfType<FieldWire>().Select(ToField).ToArray() ?? [],
            collection.Permissions?.OfType<PermissionWire>().Select(ToPermission).ToArray(),
            collection.Slug,
            collection.Settings as JsonObject,
            WireValues.ToTime(collection.CreatedAt),
            WireValues.ToTime(collection.UpdatedAt));
    }

    public static CollectionBody ToBody(CreateCollectionRequest request) => new()
    {
        Name = request.Name,
        Slug = request.Slug,
        Fields = ToWire(request.Fields),
        Permissions = ToWire(request.Permissions),
        Settings = request.Settings,
    };

    public static CollectionBody ToBody(UpdateCollectionRequest request) => new()
    {
        Name = request.Name,
        Fields = ToWire(request.Fields),
        Permissions = ToWire(request.Permissions),
        Settings = request.Settings,
    };

    private static SchemaField ToField(FieldWire wire) =>
        new(wire.Name ?? "", wire.Type ?? "", wire.Required ?? false, wire.Unique ?? false, wire.Default, wire.Validation as JsonObject)
        {
            Unmapped = wire.Unmapped,
        };

    private static CollectionPermission ToPermission(PermissionWire wire) =>
        new(wire.Role ?? "", Strings(wire.Actions) ?? [], Strings(wire.Fields), (wire.Condition ?? wire.Conditions) as JsonObject)
        {
            Unmapped = wire.Unmapped,
        };

    /// <summary>Only what differs from the server's defaults is sent: <c>required</c> and <c>unique</c> when true, the rest when set.</summary>
    private static List<FieldWire>? ToWire(IReadOnlyList<SchemaField>? fields) =>
        fields?.Select(field => new FieldWire
        {
            Name = field.Name,
            Type = field.Type,
            Required = field.Required ? true : null,
            Unique = field.Unique ? true : null,
            Default = field.Default,
            Validation = field.Validation,
            Unmapped = field.Unmapped,
        }).ToList();

    private static List<PermissionWire>? ToWire(IReadOnlyList<CollectionPermission>? permissions) =>
        permissions?.Select(rule => new PermissionWire
        {
            Role = rule.Role,
            Actions = [.. rule.Actions],
            Fields = rule.Fields is null ? null : [.. rule.Fields],
            Condition = rule.Condition,
            Unmapped = rule.Unmapped,
        }).ToList();

    private static string[]? Strings(List<string?>? values) => values?.OfType<string>().ToArray();
}
