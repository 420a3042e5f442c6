using System.Text.Json;

namespace Mudbase.Emulator.Data;

/// <summary>
/// A collection of a project: its schema and permissions. Immutable: an update swaps in a changed
/// copy, so a request holding one never sees it change.
/// </summary>
internal sealed record CollectionSchema(
    string Id,
    string ProjectId,
    string Name,
    string Slug,
    IReadOnlyList<SchemaField> Fields,
    IReadOnlyList<PermissionRule> Permissions,
    JsonElement Settings,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>
    /// Whether a data path's <c>{collectionId}</c> names this collection. A collection is addressed by its <c>_id</c>
    /// (24 hex, either case), which every live client passes, or by its slug or its name (exactly, case-sensitive),
    /// as the JS SDK's docs do (<c>collection("todos")</c>). The id is tried first across the project, then the slug,
    /// then the name, so a slug can never shadow another collection's id.
    /// </summary>
    public static CollectionSchema? Find(IEnumerable<CollectionSchema> collections, string reference)
    {
        var candidates = collections as IReadOnlyCollection<CollectionSchema> ?? collections.ToList();
        return candidates.FirstOrDefault(c => string.Equals(c.Id, reference, StringComparison.OrdinalIgnoreCase))
            ?? candidates.FirstOrDefault(c => c.Slug == reference)
            ?? candidates.FirstOrDefault(c => c.Name == reference);
    }

    public IEnumerable<SchemaField> UniqueFields => Fields.Where(candidate => candidate.Unique);
}

/// <summary>A declared field. <see cref="Raw"/> is the field as it was sent, so that <c>ui</c> and unknown keys round-trip.</summary>
internal sealed record SchemaField(
    string Name,
    string Type,
    bool Required,
    bool Unique,
    JsonElement? Default,
    JsonElement? Validation,
    JsonElement Raw);

/// <summary>
/// A permission grant: <see cref="Role"/> may do <see cref="Actions"/>, on the rows that match
/// <see cref="Condition"/> when there is one. <see cref="Raw"/> is the grant as it was sent.
/// </summary>
internal sealed record PermissionRule(string Role, IReadOnlyList<string> Actions, JsonElement? Condition, JsonElement Raw);

/// <summary>The four document actions a grant can name.</summary>
internal static class DataActions
{
    public const string Create = "create";
    public const string Read = "read";
    public const string Update = "update";
    public const string Delete = "delete";

    public static IReadOnlyList<string> All { get; } = [Create, Read, Update, Delete];
}

/// <summary>The field types of the contract.</summary>
internal static class FieldTypes
{
    public static IReadOnlyList<string> All { get; } =
        ["string", "number", "boolean", "date", "datetime", "email", "url", "text", "array", "object", "reference", "file", "enum", "json"];
}
