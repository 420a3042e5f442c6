namespace Mudbase.Realtime;

/// <summary>Where a client's realtime connection stands.</summary>
public enum RealtimeState
{
    /// <summary>No connection: nothing is watched, or <see cref="IMudbaseRealtime.DisconnectAsync"/> closed it.</summary>
    Disconnected,

    /// <summary>The first connection attempt is under way.</summary>
    Connecting,

    /// <summary>Connected and signed in: every watch is subscribed (or being subscribed).</summary>
    Connected,

    /// <summary>The connection was lost and is being opened again, after a delay that grows with each failed attempt.</summary>
    Reconnecting,
}

/// <summary>The realtime connection moved from one <see cref="RealtimeState"/> to another.</summary>
public sealed class RealtimeStateChangedEventArgs : EventArgs
{
    /// <summary>Makes the arguments of a state change.</summary>
    /// <param name="previous">The state before.</param>
    /// <param name="current">The state now.</param>
    /// <param name="reason">Why the connection was lost or could not be opened, when that is the cause of the change.</param>
    public RealtimeStateChangedEventArgs(RealtimeState previous, RealtimeState current, Exception? reason = null)
    {
        Previous = previous;
        Current = current;
        Reason = reason;
    }

    /// <summary>The state before.</summary>
    public RealtimeState Previous { get; }

    /// <summary>The state now.</summary>
    public RealtimeState Current { get; }

    /// <summary>Why the connection was lost or could not be opened, when that caused the change; otherwise null.</summary>
    public Exception? Reason { get; }
}

/// <summary>What a watch does when its consumer falls behind and its buffer is full.</summary>
public enum RealtimeOverflow
{
    /// <summary>
    /// Keep only the newest state of each document (a deletion wins), and tell the consumer how many events were merged
    /// (<see cref="CollectionEvent{T}.Overflowed"/>). The order between documents is the order of their latest changes.
    /// Nothing is lost: the consumer still ends with every document's final state. The default.
    /// </summary>
    CoalesceByDocument,

    /// <summary>
    /// Stop reading the connection until the consumer makes room. Every event is delivered, but every other watch on the
    /// same connection waits too, and a server that is kept waiting long enough drops the connection (which then resyncs).
    /// </summary>
    Wait,

    /// <summary>Drop the oldest buffered events and count them in <see cref="CollectionEvent{T}.Overflowed"/>: changes are lost.</summary>
    DropOldest,
}

/// <summary>How a watch buffers events for its consumer.</summary>
public sealed class WatchOptions
{
    /// <summary>How many events may wait for the consumer (default 1024, at least 1).</summary>
    public int BufferCapacity { get; set; } = 1024;

    /// <summary>What happens when the buffer is full (default <see cref="RealtimeOverflow.CoalesceByDocument"/>).</summary>
    public RealtimeOverflow Overflow { get; set; } = RealtimeOverflow.CoalesceByDocument;

    /// <summary>
    /// For a collection watch: start with a <see cref="CollectionEvent{T}.Created"/> for every document that exists when
    /// the watch starts, so that a consumer that applies every event holds the whole collection. Off by default: the watch
    /// then yields only what changes after it started.
    /// </summary>
    public bool IncludeExisting { get; set; }

    internal static WatchOptions Check(WatchOptions? options, string paramName)
    {
        if (options is null)
        {
            return Default;
        }

        if (options.BufferCapacity < 1)
        {
            throw new ArgumentOutOfRangeException(paramName, options.BufferCapacity, "WatchOptions.BufferCapacity must be at least 1.");
        }

        if (options.Overflow is not (RealtimeOverflow.CoalesceByDocument or RealtimeOverflow.Wait or RealtimeOverflow.DropOldest))
        {
            throw new ArgumentOutOfRangeException(paramName, options.Overflow, "WatchOptions.Overflow is not a RealtimeOverflow value.");
        }

        // A copy: the caller may change theirs while the watch runs.
        return new WatchOptions { BufferCapacity = options.BufferCapacity, Overflow = options.Overflow, IncludeExisting = options.IncludeExisting };
    }

    private static readonly WatchOptions Default = new();
}

/// <summary>How a document changed between two states a consumer saw.</summary>
public enum ChangeKind
{
    /// <summary>The document is new to the result.</summary>
    Added,

    /// <summary>The document's contents changed.</summary>
    Modified,

    /// <summary>The document left the result (deleted, or no longer matching).</summary>
    Removed,
}

/// <summary>One document's change between two states a consumer saw.</summary>
/// <typeparam name="T">The document type.</typeparam>
public sealed class DocumentChange<T>
{
    internal DocumentChange(ChangeKind kind, string documentId, T document, int oldIndex, int newIndex)
    {
        Kind = kind;
        DocumentId = documentId;
        Document = document;
        OldIndex = oldIndex;
        NewIndex = newIndex;
    }

    /// <summary>Added, modified or removed.</summary>
    public ChangeKind Kind { get; }

    /// <summary>The document's id.</summary>
    public string DocumentId { get; }

    /// <summary>The document as it is now; for <see cref="ChangeKind.Removed"/>, as it was last seen.</summary>
    public T Document { get; }

    /// <summary>Its position in the previous result; -1 when it was not there, or when there is no order (a collection watch).</summary>
    public int OldIndex { get; }

    /// <summary>Its position in the new result; -1 when it is not there, or when there is no order (a collection watch).</summary>
    public int NewIndex { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Kind} {DocumentId} ({OldIndex} -> {NewIndex})";
}

/// <summary>A query's whole result as it is now, and what changed since the previous snapshot.</summary>
/// <typeparam name="T">The document type.</typeparam>
public sealed class QuerySnapshot<T>
{
    internal QuerySnapshot(IReadOnlyList<T> items, IReadOnlyList<DocumentChange<T>> changes, bool isResync)
    {
        Items = items;
        Changes = changes;
        IsResync = isResync;
    }

    /// <summary>Every document that matches, in the query's order.</summary>
    public IReadOnlyList<T> Items { get; }

    /// <summary>
    /// What changed since the previous snapshot this consumer received: removals first (with their old positions), then
    /// additions and modifications in the new order. For the first snapshot, every item is <see cref="ChangeKind.Added"/>.
    /// </summary>
    public IReadOnlyList<DocumentChange<T>> Changes { get; }

    /// <summary>True when this snapshot follows a lost connection: <see cref="Changes"/> then includes what was missed meanwhile.</summary>
    public bool IsResync { get; }
}

/// <summary>One document as it is now.</summary>
/// <typeparam name="T">The document type.</typeparam>
public sealed class DocumentSnapshot<T>
{
    internal DocumentSnapshot(string documentId, T? document, bool isResync)
    {
        DocumentId = documentId;
        Document = document;
        IsResync = isResync;
    }

    /// <summary>The document's id.</summary>
    public string DocumentId { get; }

    /// <summary>The document, or null when it does not exist (never did, or was deleted).</summary>
    public T? Document { get; }

    /// <summary>Whether the document exists.</summary>
    public bool Exists => Document is not null;

    /// <summary>True when this snapshot follows a lost connection (the document may have changed more than once meanwhile).</summary>
    public bool IsResync { get; }
}
