using System.Text.Json.Nodes;

namespace Mudbase.Collections;

/// <summary>What <see cref="IMudbaseCollections.CreateAsync"/> sends: a new collection's schema.</summary>
public sealed class CreateCollectionRequest
{
    /// <summary>The collection's name.</summary>
    public required string Name { get; set; }

    /// <summary>Its slug; when null, the server makes one from the name.</summary>
    public string? Slug { get; set; }

    /// <summary>Its fields: at least one, each with a name (unique within the collection) and a type.</summary>
    public required IReadOnlyList<SchemaField> Fields { get; set; }

    /// <summary>Its permission rules; when null, the server's default.</summary>
    public IReadOnlyList<CollectionPermission>? Permissions { get; set; }

    /// <summary>Its settings; when null, the server's default.</summary>
    public JsonObject? Settings { get; set; }

    /// <summary>The project; when null, <see cref="MudbaseClientOptions.ProjectId"/>. One of the two is required.</summary>
    public string? ProjectId { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"CreateCollectionRequest {{ Name = {Name}, Slug = {Slug}, Fields = {Fields?.Count}, ProjectId = {ProjectId} }}";
}

/// <summary>
/// What <see cref="IMudbaseCollections.UpdateAsync"/> sends: only what is set changes. <see cref="Fields"/> and
/// <see cref="Permissions"/> replace the lists as a whole; to change one field, send the others as they were read.
/// </summary>
public sealed class UpdateCollectionRequest
{
    /// <summary>The new name; null leaves it.</summary>
    public string? Name { get; set; }

    /// <summary>The new fields, all of them (at least one); null leaves them.</summary>
    public IReadOnlyList<SchemaField>? Fields { get; set; }

    /// <summary>The new permission rules, all of them; null leaves them.</summary>
    public IReadOnlyList<CollectionPermission>? Permissions { get; set; }

    /// <summary>The new settings; null leaves them.</summary>
    public JsonObject? Settings { get; set; }

    /// <summary>The project; when null, <see cref="MudbaseClientOptions.ProjectId"/>. One of the two is required.</summary>
    public string? ProjectId { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"UpdateCollectionRequest {{ Name = {Name}, Fields = {Fields?.Count}, Permissions = {Permissions?.Count}, ProjectId = {ProjectId} }}";
}
