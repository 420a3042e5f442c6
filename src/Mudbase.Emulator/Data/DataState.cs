using System.Text.Json;
using Mudbase.Emulator.Infrastructure;

using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Data;

/// <summary>A stored document: immutable, replaced whole on update. <see cref="Sequence"/> is its insertion order.</summary>
internal sealed record StoredDocument(string Id, long Sequence, JsonElement Body);

/// <summary>How a document write ended.</summary>
internal enum WriteStatus
{
    Done,
    CollectionNotFound,
    DocumentNotFound,

    /// <summary>The caller's check refused the write; <see cref="WriteOutcome.Refusal"/> is the answer.</summary>
    Refused,

    /// <summary>A unique field's value is taken.</summary>
    Duplicate,
}

internal sealed record WriteOutcome(WriteStatus Status)
{
    public JsonElement Document { get; init; }

    public IResult? Refusal { get; init; }

    public string? DuplicateField { get; init; }

    public JsonElement DuplicateValue { get; init; }
}

/// <summary>What a caller's check decides about a document it is about to update: the new body, or an answer that refuses.</summary>
internal readonly record struct PatchDecision(JsonElement? Body, IResult? Refusal);

/// <summary>
/// The data area's state: every project's collections, their documents, and the log of changes. Guarded by the
/// emulator's one lock (<see cref="EmulatorStore.Gate"/>), so that a unique check and the insert it allows are one step
/// (16 concurrent writers cannot both take a value). Documents are immutable <see cref="JsonElement"/>s, so reads copy
/// the list under the lock and filter, sort and write outside it.
/// </summary>
internal sealed class DataState(EmulatorStore store, TimeProvider timeProvider, ObjectIdGenerator ids)
{
    /// <summary>How many changes the log keeps; older ones are dropped.</summary>
    public const int ChangeLogCapacity = 10_000;

    private readonly Lock _gate = store.Gate;
    private readonly Dictionary<string, CollectionEntry> _collections = new(StringComparer.Ordinal);
    private readonly Queue<DataChange> _changes = new();
    private long _sequence;
    private long _changeSequence;

    /// <summary>
    /// Raised for every write, in the order the writes happened, under the state's lock: handlers must be
    /// quick and must not block (hand the change to a channel, say). A later realtime area delivers them.
    /// </summary>
    public event Action<DataChange>? Changed;

    public TimeProvider TimeProvider => timeProvider;

    public ObjectIdGenerator Ids => ids;

    /// <summary>The most recent changes, oldest first (at most <see cref="ChangeLogCapacity"/>).</summary>
    public IReadOnlyList<DataChange> GetChanges()
    {
        lock (_gate)
        {
            return [.. _changes];
        }
    }

    public IReadOnlyList<CollectionSchema> ListCollections(string projectId)
    {
        lock (_gate)
        {
            return _collections.Values.Select(entry => entry.Schema).Where(c => c.ProjectId == projectId).OrderBy(c => c.CreatedAt).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
        }
    }

    /// <summary>Finds a collection by <c>_id</c>, slug or name (see <see cref="CollectionSchema.Find"/>).</summary>
    public CollectionSchema? FindCollection(string projectId, string reference)
    {
        lock (_gate)
        {
            return FindEntry(projectId, reference)?.Schema;
        }
    }

    /// <returns>The new collection, or <see langword="null"/> when its name or slug is taken in the project.</returns>
    public CollectionSchema? AddCollection(string projectId, CollectionDraft draft)
    {
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (IsTaken(projectId, draft.Name!, draft.Slug!, exceptId: null))
            {
                return null;
            }

            var schema = new CollectionSchema(ids.Next(), projectId, draft.Name!, draft.Slug!, draft.Fields!, draft.Permissions!, draft.Settings!.Value, now, now);
            _collections.Add(schema.Id, new CollectionEntry(schema));
            Record(DataChange.CollectionCreated, schema, CollectionElement(schema), now);
            return schema;
        }
    }

    /// <returns>The updated collection; <see langword="null"/> when there is none; <c>Conflict</c> when the new name or slug is taken.</returns>
    public (CollectionSchema? Updated, bool Conflict) UpdateCollection(string projectId, string reference, CollectionDraft draft)
    {
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (FindEntry(projectId, reference) is not { } entry)
            {
                return (null, false);
            }

            var current = entry.Schema;
            var updated = current with
            {
                Name = draft.Name ?? current.Name,
                Slug = draft.Slug ?? current.Slug,
                Fields = draft.Fields ?? current.Fields,
                Permissions = draft.Permissions ?? current.Permissions,
                Settings = draft.Settings ?? current.Settings,
                UpdatedAt = now,
            };
            if (IsTaken(projectId, updated.Name, updated.Slug, exceptId: current.Id))
            {
                return (null, true);
            }

            entry.Schema = updated;
            Record(DataChange.CollectionUpdated, updated, CollectionElement(updated), now);
            return (updated, false);
        }
    }

    /// <summary>Deletes a collection with all its documents.</summary>
    public CollectionSchema? DeleteCollection(string projectId, string reference)
    {
        var now = timeProvider.GetUtcNow();
        lock (_gate)
        {
            if (FindEntry(projectId, reference) is not { } entry)
            {
                return null;
            }

            _collections.Remove(entry.Schema.Id);
            Record(DataChange.CollectionDeleted, entry.Schema, CollectionElement(entry.Schema), now);
            return entry.Schema;
        }
    }

    /// <summary>The collection's documents as they are now, or <see langword="null"/> if it is gone.</summary>
    public IReadOnlyList<StoredDocument>? Snapshot(string collectionId)
    {
        lock (_gate)
        {
            return _collections.TryGetValue(collectionId, out var entry) ? [.. entry.Documents.Values] : null;
        }
    }

    public StoredDocument? FindDocument(string collectionId, string documentId)
    {
        lock (_gate)
        {
            return _collections.TryGetValue(collectionId, out var entry) && entry.Documents.TryGetValue(documentId, out var document) ? document : null;
        }
    }

    /// <summary>Inserts a document (it has its <c>_id</c>) after the unique check, in one step.</summary>
    public WriteOutcome Insert(string collectionId, string documentId, JsonElement body)
    {
        lock (_gate)
        {
            if (!_collections.TryGetValue(collectionId, out var entry))
            {
                return new WriteOutcome(WriteStatus.CollectionNotFound);
            }

            if (FindDuplicate(entry, body, exceptId: null) is { } duplicate)
            {
                return duplicate;
            }

            entry.Documents.Add(documentId, new StoredDocument(documentId, ++_sequence, body));
            Record(DataChange.Create, entry.Schema, body, timeProvider.GetUtcNow());
            return new WriteOutcome(WriteStatus.Done) { Document = body };
        }
    }

    /// <summary>
    /// Updates a document: <paramref name="decide"/> sees the current body (under the lock, so nothing changes in
    /// between) and gives the new one or a refusal; then the unique check, then the swap.
    /// </summary>
    public WriteOutcome Update(string collectionId, string documentId, Func<CollectionSchema, JsonElement, PatchDecision> decide)
    {
        lock (_gate)
        {
            if (!_collections.TryGetValue(collectionId, out var entry))
            {
                return new WriteOutcome(WriteStatus.CollectionNotFound);
            }

            if (!entry.Documents.TryGetValue(documentId, out var current))
            {
                return new WriteOutcome(WriteStatus.DocumentNotFound);
            }

            var decision = decide(entry.Schema, current.Body);
            if (decision.Body is not { } body)
            {
                return new WriteOutcome(WriteStatus.Refused) { Refusal = decision.Refusal };
            }

            if (FindDuplicate(entry, body, exceptId: documentId) is { } duplicate)
            {
                return duplicate;
            }

            entry.Documents[documentId] = current with { Body = body };
            Record(DataChange.Update, entry.Schema, body, timeProvider.GetUtcNow());
            return new WriteOutcome(WriteStatus.Done) { Document = body };
        }
    }

    /// <summary>Deletes a document unless <paramref name="check"/> (under the lock) gives an answer that refuses.</summary>
    public WriteOutcome Delete(string collectionId, string documentId, Func<JsonElement, IResult?> check)
    {
        lock (_gate)
        {
            if (!_collections.TryGetValue(collectionId, out var entry))
            {
                return new WriteOutcome(WriteStatus.CollectionNotFound);
            }

            if (!entry.Documents.TryGetValue(documentId, out var current))
            {
                return new WriteOutcome(WriteStatus.DocumentNotFound);
            }

            if (check(current.Body) is { } refusal)
            {
                return new WriteOutcome(WriteStatus.Refused) { Refusal = refusal };
            }

            entry.Documents.Remove(documentId);
            var data = JsonAnswer.ToElement(writer =>
            {
                writer.WriteStartObject();
                writer.WriteString("_id", documentId);
                writer.WriteString("id", documentId);
                writer.WriteEndObject();
            });
            Record(DataChange.Delete, entry.Schema, data, timeProvider.GetUtcNow(), deleted: current.Body);
            return new WriteOutcome(WriteStatus.Done) { Document = current.Body };
        }
    }

    private CollectionEntry? FindEntry(string projectId, string reference) =>
        CollectionSchema.Find(_collections.Values.Select(entry => entry.Schema).Where(c => c.ProjectId == projectId), reference) is { } schema
            ? _collections[schema.Id]
            : null;

    private bool IsTaken(string projectId, string name, string slug, string? exceptId) =>
        _collections.Values.Any(entry => entry.Schema.ProjectId == projectId && entry.Schema.Id != exceptId
            && (entry.Schema.Name == name || entry.Schema.Slug == slug));

    // A null or absent value never clashes: unique applies to values, as with a sparse unique index.
    private static WriteOutcome? FindDuplicate(CollectionEntry entry, JsonElement body, string? exceptId)
    {
        foreach (var field in entry.Schema.UniqueFields)
        {
            if (!body.TryGetProperty(field.Name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            foreach (var other in entry.Documents.Values)
            {
                if (other.Id != exceptId && other.Body.TryGetProperty(field.Name, out var taken) && JsonValues.AreEqual(taken, value))
                {
                    return new WriteOutcome(WriteStatus.Duplicate) { DuplicateField = field.Name, DuplicateValue = value };
                }
            }
        }

        return null;
    }

    private static JsonElement CollectionElement(CollectionSchema schema) => JsonAnswer.ToElement(writer => JsonAnswer.WriteCollection(writer, schema));

    private void Record(string action, CollectionSchema collection, JsonElement data, DateTimeOffset now, JsonElement? deleted = null)
    {
        var change = new DataChange("db:" + action, collection.ProjectId, collection.Id, action, data, now, ++_changeSequence) { Deleted = deleted };
        _changes.Enqueue(change);
        if (_changes.Count > ChangeLogCapacity)
        {
            _changes.Dequeue();
        }

        Changed?.Invoke(change);
    }

    private sealed class CollectionEntry(CollectionSchema schema)
    {
        public CollectionSchema Schema { get; set; } = schema;

        public Dictionary<string, StoredDocument> Documents { get; } = new(StringComparer.Ordinal);
    }
}
