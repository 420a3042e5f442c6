using System.Text.Json;
using System.Text.Json.Nodes;

namespace Mudbase.Collections;

/// <summary>A collection's schema: its fields, who may do what with its documents, and its settings, as the server holds them.</summary>
public sealed class CollectionSchema
{
    /// <summary>Creates a schema, for tests and fakes of <see cref="IMudbaseCollections"/>; the SDK makes them from the server's answers.</summary>
    /// <param name="id">The collection's id.</param>
    /// <param name="name">The collection's name.</param>
    /// <param name="projectId">The project it belongs to.</param>
    /// <param name="fields">Its fields.</param>
    /// <param name="permissions">Its permission rules; null for none.</param>
    /// <param name="slug">Its slug, if any.</param>
    /// <param name="settings">Its settings, if any.</param>
    /// <param name="createdAt">When it was created, if known.</param>
    /// <param name="updatedAt">When it was last changed, if known.</param>
    public CollectionSchema(
        string id, string name, string projectId, IReadOnlyList<SchemaField> fields, IReadOnlyList<CollectionPermission>? permissions = null,
        string? slug = null, JsonObject? settings = null, DateTimeOffset? createdAt = null, DateTimeOffset? updatedAt = null)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(projectId);
        ArgumentNullException.ThrowIfNull(fields);
        Id = id;
        Name = name;
        ProjectId = projectId;
        Fields = fields;
        Permissions = permissions ?? [];
        Slug = slug;
        Settings = settings;
        CreatedAt = createdAt;
        UpdatedAt = updatedAt;
    }

    /// <summary>The collection's id (the server's <c>_id</c>, or <c>id</c>): what <see cref="IMudbaseCollections.GetAsync"/> and the data calls take.</summary>
    public string Id { get; }

    /// <summary>The collection's name.</summary>
    public string Name { get; }

    /// <summary>The collection's slug, the server's URL-safe form of its name; null when the server sent none.</summary>
    public string? Slug { get; }

    /// <summary>The project the collection belongs to.</summary>
    public string ProjectId { get; }

    /// <summary>The fields a document may have, in the server's order.</summary>
    public IReadOnlyList<SchemaField> Fields { get; }

    /// <summary>The permission rules: which role may do what, on which fields, under which condition. Empty when there are none.</summary>
    public IReadOnlyList<CollectionPermission> Permissions { get; }

    /// <summary>The collection's settings as the server sent them; null when it sent none.</summary>
    public JsonObject? Settings { get; }

    /// <summary>When the collection was created, when the server says.</summary>
    public DateTimeOffset? CreatedAt { get; }

    /// <summary>When the collection was last changed, when the server says.</summary>
    public DateTimeOffset? UpdatedAt { get; }

    /// <inheritdoc />
    public override string ToString() => $"CollectionSchema {{ Id = {Id}, Name = {Name}, Fields = {Fields.Count}, Permissions = {Permissions.Count} }}";
}

/// <summary>
/// One field of a collection's schema. Made by you for <see cref="CreateCollectionRequest"/> and
/// <see cref="UpdateCollectionRequest"/>, and by the SDK from the server's answers.
/// </summary>
/// <remarks>
/// A field read from the server keeps what it had beyond these properties (such as its <c>ui</c> settings), and sends it
/// back when passed to <see cref="IMudbaseCollections.UpdateAsync"/>: updating a schema with the fields it was read with
/// loses nothing. A field made with the constructor has only what it is given.
/// </remarks>
public sealed class SchemaField
{
    /// <summary>Creates a field.</summary>
    /// <param name="name">The field's name, as documents spell it.</param>
    /// <param name="type">Its type, one of <see cref="SchemaFieldTypes"/> (or a newer one the server knows).</param>
    /// <param name="required">Whether every document must have it.</param>
    /// <param name="unique">Whether no two documents may hold the same value.</param>
    /// <param name="defaultValue">The value a document gets without one: a JSON string, number or boolean; null for none.</param>
    /// <param name="validation">The server's validation rules for it (for example <c>{"min": 1, "max": 5}</c>); null for none.</param>
    public SchemaField(string name, string type, bool required = false, bool unique = false, JsonNode? defaultValue = null, JsonObject? validation = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(type);
        Name = name;
        Type = type;
        Required = required;
        Unique = unique;
        Default = defaultValue;
        Validation = validation;
    }

    /// <summary>The field's name.</summary>
    public string Name { get; }

    /// <summary>
    /// The field's type: one of <see cref="SchemaFieldTypes"/>, or any other the server sends (kept as it is, so a schema
    /// with a type this SDK does not know still reads, and updates without changing it).
    /// </summary>
    public string Type { get; }

    /// <summary>Whether every document must have the field.</summary>
    public bool Required { get; }

    /// <summary>Whether no two documents may hold the same value (a clash is a <see cref="MudbaseConflictException"/>).</summary>
    public bool Unique { get; }

    /// <summary>The value a document gets without one (a JSON string, number or boolean); null for none.</summary>
    public JsonNode? Default { get; }

    /// <summary>The server's validation rules for the field; null for none.</summary>
    public JsonObject? Validation { get; }

    /// <summary>What the server sent for the field beyond the properties above; sent back as it is on an update.</summary>
    internal Dictionary<string, JsonElement>? Unmapped { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"SchemaField {{ Name = {Name}, Type = {Type}, Required = {Required}, Unique = {Unique} }}";
}

/// <summary>The field types the server documents, for <see cref="SchemaField.Type"/>.</summary>
/// <remarks>
/// Plain strings rather than an enum: the server may add types, and a schema read with one this SDK does not know must
/// still read, and be sent back unchanged.
/// </remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720", Justification = "The names are the server's type names (String, Object), which users look for.")]
public static class SchemaFieldTypes
{
    /// <summary>Text.</summary>
    public const string String = "string";

    /// <summary>A number.</summary>
    public const string Number = "number";

    /// <summary>True or false.</summary>
    public const string Boolean = "boolean";

    /// <summary>A date without a time.</summary>
    public const string Date = "date";

    /// <summary>A date with a time.</summary>
    public const string DateTime = "datetime";

    /// <summary>An email address.</summary>
    public const string Email = "email";

    /// <summary>A URL.</summary>
    public const string Url = "url";

    /// <summary>Long text.</summary>
    public const string Text = "text";

    /// <summary>A JSON array.</summary>
    public const string Array = "array";

    /// <summary>A JSON object.</summary>
    public const string Object = "object";

    /// <summary>The id of a document in another collection.</summary>
    public const string Reference = "reference";

    /// <summary>A stored file.</summary>
    public const string File = "file";

    /// <summary>One of a fixed set of values.</summary>
    public const string Enum = "enum";

    /// <summary>Any JSON value.</summary>
    public const string Json = "json";
}

/// <summary>
/// One permission rule of a collection: what an app role (a user's <c>customRole</c>, or <c>public</c> for calls without
/// a credential) may do with its documents.
/// </summary>
/// <remarks>A rule read from the server keeps what it had beyond these properties and sends it back on an update, as <see cref="SchemaField"/> does.</remarks>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "The name is the API's contract: one entry of a collection's permissions; it is no .NET permission type.")]
public sealed class CollectionPermission
{
    /// <summary>Creates a rule.</summary>
    /// <param name="role">The app role it is for, such as <c>customer</c>, or <c>public</c>.</param>
    /// <param name="actions">What the role may do: <c>create</c>, <c>read</c>, <c>update</c>, <c>delete</c>.</param>
    /// <param name="fields">The only fields the rule covers; null for all of them.</param>
    /// <param name="condition">
    /// What a document must match for the rule to apply, for example <c>{"userId": "$userId"}</c> (the caller's own
    /// documents); null for every document.
    /// </param>
    public CollectionPermission(string role, IReadOnlyList<string> actions, IReadOnlyList<string>? fields = null, JsonObject? condition = null)
    {
        ArgumentNullException.ThrowIfNull(role);
        ArgumentNullException.ThrowIfNull(actions);
        Role = role;
        Actions = actions;
        Fields = fields;
        Condition = condition;
    }

    /// <summary>The app role the rule is for.</summary>
    public string Role { get; }

    /// <summary>What the role may do: <c>create</c>, <c>read</c>, <c>update</c>, <c>delete</c>.</summary>
    public IReadOnlyList<string> Actions { get; }

    /// <summary>The only fields the rule covers; null for all of them.</summary>
    public IReadOnlyList<string>? Fields { get; }

    /// <summary>What a document must match for the rule to apply; null for every document.</summary>
    public JsonObject? Condition { get; }

    /// <summary>What the server sent for the rule beyond the properties above; sent back as it is on an update.</summary>
    internal Dictionary<string, JsonElement>? Unmapped { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"CollectionPermission {{ Role = {Role}, Actions = [{string.Join(", ", Actions)}] }}";
}
