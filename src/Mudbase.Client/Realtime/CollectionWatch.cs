using Mudbase.Data;
using Mudbase.Http;
using Mudbase.Realtime.Protocol;

namespace Mudbase.Realtime;

/// <summary>
/// A collection's change feed. It keeps every document it knows of (its id, a hash of its JSON and the object), so
/// that after a lost connection it can fetch the collection and yield exactly what changed meanwhile
/// (<see cref="CollectionEvent{T}.Resynced"/>), and so that an event repeating what it holds is not yielded twice.
/// </summary>
internal sealed class CollectionWatch<T> : RealtimeWatch
{
    /// <summary>The server's largest page: the state is fetched in as few requests as it allows.</summary>
    private const int FetchPageSize = 100;

    private readonly object _gate = new();
    private readonly DocumentCollection<T> _collection;
    private readonly WatchOptions _options;
    private Dictionary<string, (T Document, ulong Hash)> _known = new(StringComparer.Ordinal);
    private List<(string EventName, ReadOnlyMemory<byte> Packet, ChangeEnvelope Envelope)>? _held;
    private bool _synced;
    private bool _ended;

    /// <summary>A Disconnected was yielded and its Resynced not yet: one gap, however many attempts it takes to heal.</summary>
    private bool _gap;

    /// <summary>Which subscription is current: one overtaken by a lost connection must not apply its late fetch.</summary>
    private int _generation;

    public CollectionWatch(DocumentCollection<T> collection, WatchOptions options)
    {
        _collection = collection;
        _options = options;
        Buffer = new CollectionEventBuffer<T>(options);
    }

    public CollectionEventBuffer<T> Buffer { get; }

    public override string? CollectionKey => _collection.CollectionId;

    public override string DocumentTypeName => typeof(T).Name;

    public override async Task SubscribeAsync(SocketIoConnection connection, CancellationToken cancellationToken)
    {
        int generation;
        lock (_gate)
        {
            // From here until the state is fetched, events are held, then applied on top of it in order.
            _held = [];
            generation = ++_generation;
            AwaitingAnswer = true;
        }

        await JoinCollectionAsync(connection, _collection.ProjectId, _collection.CollectionId, cancellationToken).ConfigureAwait(false);
        var fetched = await FetchAllAsync(_collection, cancellationToken).ConfigureAwait(false);
        lock (_gate)
        {
            if (_ended || generation != _generation)
            {
                return;
            }

            var state = new Dictionary<string, (T Document, ulong Hash)>(fetched.Count, StringComparer.Ordinal);
            foreach (var document in fetched)
            {
                state[document.Id] = (document.Document, document.Hash);
            }

            if (_synced)
            {
                Buffer.Add(new CollectionEvent<T>.Resynced(Diff(_known, fetched, state)), null);
                _gap = false;
            }
            else if (_options.IncludeExisting)
            {
                foreach (var document in fetched)
                {
                    Buffer.Add(new CollectionEvent<T>.Created(document.Id, document.Document), document.Id);
                }
            }

            // The events held since the subscription. A consumer shown none of the fetched state (a first fetch without the
            // existing documents) gets them all, as news, even when the fetch already holds their result. One shown the
            // fetched state gets, for each document, those after the last one the fetch reflects: the earlier ones would
            // take it back in time.
            var verbatim = !_synced && !_options.IncludeExisting;
            _known = state;
            _synced = true;
            AwaitingAnswer = false;
            var held = new List<(string EventName, RawDocument<T> Document)>(_held!.Count);
            foreach (var (eventName, packet, envelope) in _held)
            {
                if (IsOwnCollection(envelope.CollectionId) && Read(eventName, packet, envelope) is { Id.Length: > 0 } document)
                {
                    held.Add((eventName, document));
                }
            }

            _held = null;
            var reflected = verbatim ? null : LastReflected(held, state);
            for (var i = 0; i < held.Count; i++)
            {
                var (eventName, document) = held[i];
                if (verbatim)
                {
                    ApplyVerbatim(eventName, document);
                }
                else if (reflected is null || !reflected.TryGetValue(document.Id, out var last) || i > last)
                {
                    Apply(eventName, document);
                }
            }
        }
    }

    public override ValueTask OnChangeAsync(string eventName, ReadOnlyMemory<byte> packet, ChangeEnvelope envelope, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_held is { } held)
            {
                // Read once the state is fetched (and the collection's id known), in order; copied, since the packet's
                // memory goes back to the connection once this returns.
                held.Add((eventName, packet.ToArray(), envelope));
                return default;
            }

            if (!_synced || !IsOwnCollection(envelope.CollectionId) || Read(eventName, packet, envelope) is not { Id.Length: > 0 } document)
            {
                return default;
            }

            Apply(eventName, document);
        }

        return new ValueTask(Buffer.WaitForRoomAsync(cancellationToken));
    }

    /// <summary>The event's document; for a deletion only its id (its data is <c>{_id}</c> or <c>{id}</c>).</summary>
    private RawDocument<T> Read(string eventName, ReadOnlyMemory<byte> packet, ChangeEnvelope envelope)
    {
        var data = packet.Span.Slice(envelope.DataStart, envelope.DataLength);
        return eventName == "db:delete"
            ? new RawDocument<T>(RealtimeWire.ReadDocumentId(data) ?? "", 0, default!)
            : RealtimeWire.ReadDocument(data, _collection.TypeInfo);
    }

    public override void OnDisconnected(Exception? reason)
    {
        lock (_gate)
        {
            _held = null;
            AwaitingAnswer = false;
            _generation++;
            if (!_synced || _ended || _gap)
            {
                return;
            }

            _gap = true;
        }

        Buffer.Add(new CollectionEvent<T>.Disconnected(reason), null);
    }

    public override void End(Exception? error)
    {
        lock (_gate)
        {
            _ended = true;
        }

        Buffer.Complete(error);
    }

    public override Task UnsubscribeAsync(SocketIoConnection connection) => LeaveCollectionAsync(connection, _collection.CollectionId);

    /// <summary>
    /// Every document the user may read, page after page in id order. Page numbers shift when documents are deleted
    /// meanwhile, so the count is checked against the server's total and the fetch tried again (twice at most) when they
    /// differ; changes made meanwhile arrive as events anyway.
    /// </summary>
    private static async Task<List<RawDocument<T>>> FetchAllAsync(DocumentCollection<T> collection, CancellationToken cancellationToken)
    {
        var data = collection.Data;
        for (var attempt = 1; ; attempt++)
        {
            var all = new List<RawDocument<T>>();
            long? total = null;
            for (var page = 1; ; page++)
            {
                var call = data.Api.ListAsync(collection.ProjectId, collection.CollectionId, page, FetchPageSize, "_id", null, null, data.Sessions, cancellationToken);
                var (documents, pageTotal) = await JsonAnswer.ReadAsync(
                    call, data.Errors, collection.TypeInfo, static (json, typeInfo) => RealtimeWire.ReadListPage(json, typeInfo), cancellationToken).ConfigureAwait(false);
                total ??= pageTotal;
                all.AddRange(documents);
                if (documents.Count < FetchPageSize)
                {
                    break;
                }
            }

            if (total is null || all.Count == total || attempt == 3)
            {
                return all;
            }
        }
    }

    /// <summary>For each document, the index of its last held event whose result the fetched state already shows.</summary>
    private static Dictionary<string, int>? LastReflected(
        List<(string EventName, RawDocument<T> Document)> held, Dictionary<string, (T Document, ulong Hash)> fetched)
    {
        Dictionary<string, int>? last = null;
        for (var i = 0; i < held.Count; i++)
        {
            var (eventName, document) = held[i];
            var inFetch = fetched.TryGetValue(document.Id, out var state);
            if (eventName == "db:delete" ? !inFetch : inFetch && state.Hash == document.Hash)
            {
                (last ??= new Dictionary<string, int>(StringComparer.Ordinal))[document.Id] = i;
            }
        }

        return last;
    }

    /// <summary>What changed from <paramref name="before"/> to the fetched state: added and modified in fetch order, then removed.</summary>
    private static List<DocumentChange<T>> Diff(
        Dictionary<string, (T Document, ulong Hash)> before, List<RawDocument<T>> fetched, Dictionary<string, (T Document, ulong Hash)> after)
    {
        var changes = new List<DocumentChange<T>>();
        foreach (var document in fetched)
        {
            if (!before.TryGetValue(document.Id, out var old))
            {
                changes.Add(new DocumentChange<T>(ChangeKind.Added, document.Id, document.Document, -1, -1));
            }
            else if (old.Hash != document.Hash)
            {
                changes.Add(new DocumentChange<T>(ChangeKind.Modified, document.Id, document.Document, -1, -1));
            }
        }

        foreach (var pair in before)
        {
            if (!after.ContainsKey(pair.Key))
            {
                changes.Add(new DocumentChange<T>(ChangeKind.Removed, pair.Key, pair.Value.Document, -1, -1));
            }
        }

        return changes;
    }

    /// <summary>Under the lock: an event yielded as the server sent it, the known state following it.</summary>
    private void ApplyVerbatim(string eventName, RawDocument<T> document)
    {
        if (eventName == "db:delete")
        {
            _known.Remove(document.Id);
            Buffer.Add(new CollectionEvent<T>.Deleted(document.Id), document.Id);
            return;
        }

        _known[document.Id] = (document.Document, document.Hash);
        Buffer.Add(
            eventName == "db:create" ? new CollectionEvent<T>.Created(document.Id, document.Document) : new CollectionEvent<T>.Updated(document.Id, document.Document),
            document.Id);
    }

    /// <summary>Under the lock: an event on top of the known state; one that changes nothing (a repeat) is not yielded.</summary>
    private void Apply(string eventName, RawDocument<T> document)
    {
        if (document.Id.Length == 0)
        {
            return;
        }

        if (eventName == "db:delete")
        {
            if (_known.Remove(document.Id))
            {
                Buffer.Add(new CollectionEvent<T>.Deleted(document.Id), document.Id);
            }

            return;
        }

        var existed = _known.TryGetValue(document.Id, out var known);
        if (existed && known.Hash == document.Hash)
        {
            return;
        }

        _known[document.Id] = (document.Document, document.Hash);
        Buffer.Add(
            existed ? new CollectionEvent<T>.Updated(document.Id, document.Document) : new CollectionEvent<T>.Created(document.Id, document.Document),
            document.Id);
    }
}
