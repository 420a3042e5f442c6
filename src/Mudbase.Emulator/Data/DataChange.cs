using System.Text.Json;

namespace Mudbase.Emulator.Data;

/// <summary>
/// A write to a project's data, as the realtime events carry it:
/// <c>{projectId, collectionId, action, data, timestamp}</c> under the name <see cref="Event"/>.
/// </summary>
/// <param name="Event"><c>db:create</c>, <c>db:update</c>, <c>db:delete</c>, or <c>db:collection_created|updated|deleted</c>.</param>
/// <param name="ProjectId">The project written to.</param>
/// <param name="CollectionId">The collection's <c>_id</c>.</param>
/// <param name="Action"><see cref="Event"/> without its <c>db:</c> prefix.</param>
/// <param name="Data">The full document after the write; <c>{_id, id}</c> for a deleted one; the collection for schema events.</param>
/// <param name="Timestamp">When the write happened, by the emulator's clock.</param>
/// <param name="Sequence">The change's position in this emulator's log, from 1 without gaps.</param>
internal sealed record DataChange(
    string Event,
    string ProjectId,
    string CollectionId,
    string Action,
    JsonElement Data,
    DateTimeOffset Timestamp,
    long Sequence)
{
    /// <summary>
    /// The deleted document's last body, for a <c>db:delete</c> (whose <see cref="Data"/> is only <c>{_id, id}</c>): who
    /// could read it is who may hear of its deletion. Never sent.
    /// </summary>
    public JsonElement? Deleted { get; init; }

    public const string Create = "create";
    public const string Update = "update";
    public const string Delete = "delete";
    public const string CollectionCreated = "collection_created";
    public const string CollectionUpdated = "collection_updated";
    public const string CollectionDeleted = "collection_deleted";
}
