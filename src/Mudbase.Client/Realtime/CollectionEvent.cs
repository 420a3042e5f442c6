using System.Diagnostics.CodeAnalysis;

namespace Mudbase.Realtime;

/// <summary>
/// One event of a collection watch: a document created, updated or deleted, or news of the stream itself (the connection
/// was lost, what was missed meanwhile, events merged because the consumer was slow). Match on the subclasses:
/// <code>
/// switch (e)
/// {
///     case CollectionEvent&lt;Todo&gt;.Created created: ...
///     case CollectionEvent&lt;Todo&gt;.Resynced resynced: ...
/// }
/// </code>
/// A consumer that applies every event (including the changes of <see cref="Resynced"/>) holds exactly the server's state.
/// </summary>
/// <typeparam name="T">The document type.</typeparam>
[SuppressMessage("Design", "CA1034", Justification = "The event kinds belong to the event type: CollectionEvent<T>.Created reads as what it is.")]
public abstract class CollectionEvent<T>
{
    private CollectionEvent()
    {
    }

    /// <summary>A document was created.</summary>
    public sealed class Created : CollectionEvent<T>
    {
        internal Created(string documentId, T document)
        {
            DocumentId = documentId;
            Document = document;
        }

        /// <summary>The new document's id.</summary>
        public string DocumentId { get; }

        /// <summary>The new document.</summary>
        public T Document { get; }

        /// <inheritdoc />
        public override string ToString() => "Created " + DocumentId;
    }

    /// <summary>A document was updated: <see cref="Document"/> is the whole document as it is now.</summary>
    public sealed class Updated : CollectionEvent<T>
    {
        internal Updated(string documentId, T document)
        {
            DocumentId = documentId;
            Document = document;
        }

        /// <summary>The document's id.</summary>
        public string DocumentId { get; }

        /// <summary>The whole document after the update.</summary>
        public T Document { get; }

        /// <inheritdoc />
        public override string ToString() => "Updated " + DocumentId;
    }

    /// <summary>A document was deleted.</summary>
    public sealed class Deleted : CollectionEvent<T>
    {
        internal Deleted(string documentId) => DocumentId = documentId;

        /// <summary>The deleted document's id.</summary>
        public string DocumentId { get; }

        /// <inheritdoc />
        public override string ToString() => "Deleted " + DocumentId;
    }

    /// <summary>
    /// The connection was lost: changes made from now on arrive later, as one <see cref="Resynced"/>, once the connection is
    /// back. The stream goes on by itself.
    /// </summary>
    public sealed class Disconnected : CollectionEvent<T>
    {
        internal Disconnected(Exception? reason) => Reason = reason;

        /// <summary>Why, when known.</summary>
        public Exception? Reason { get; }

        /// <inheritdoc />
        public override string ToString() => "Disconnected" + (Reason is null ? "" : ": " + Reason.Message);
    }

    /// <summary>
    /// The connection is back: <see cref="Missed"/> holds every difference between what this stream had yielded and the
    /// collection as it is now (the server does not replay what a disconnected client missed, so the SDK fetched the
    /// collection and compared). Apply them, and the consumer's state is the server's again.
    /// </summary>
    public sealed class Resynced : CollectionEvent<T>
    {
        internal Resynced(IReadOnlyList<DocumentChange<T>> missed) => Missed = missed;

        /// <summary>The documents added, modified and removed while the connection was lost (positions are -1: a collection has no order).</summary>
        public IReadOnlyList<DocumentChange<T>> Missed { get; }

        /// <inheritdoc />
        public override string ToString() => $"Resynced ({Missed.Count} missed)";
    }

    /// <summary>
    /// The consumer was slower than the feed and its buffer filled: with <see cref="RealtimeOverflow.CoalesceByDocument"/>
    /// this many events were merged into newer ones of the same document (nothing lost); with
    /// <see cref="RealtimeOverflow.DropOldest"/> this many were dropped (changes lost).
    /// </summary>
    public sealed class Overflowed : CollectionEvent<T>
    {
        internal Overflowed(long coalesced) => Coalesced = coalesced;

        /// <summary>How many events were merged (or dropped) since the last time this was reported.</summary>
        public long Coalesced { get; }

        /// <inheritdoc />
        public override string ToString() => $"Overflowed ({Coalesced})";
    }
}
