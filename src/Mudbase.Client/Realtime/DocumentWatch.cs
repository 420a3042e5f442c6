using Mudbase.Data;
using Mudbase.Http;
using Mudbase.Realtime.Protocol;

namespace Mudbase.Realtime;

/// <summary>
/// One document, kept current: the collection's feed filtered on the document's id (the server has no per-document
/// room), its state fetched with a GET on every connection.
/// </summary>
internal sealed class DocumentWatch<T> : RealtimeWatch
{
    private readonly object _gate = new();
    private readonly DocumentCollection<T> _collection;
    private readonly string _documentId;
    private RawDocument<T>? _current;
    private List<(string EventName, ReadOnlyMemory<byte> Packet, ChangeEnvelope Envelope)>? _held;
    private bool _synced;
    private bool _ended;
    private int _generation;

    public DocumentWatch(DocumentCollection<T> collection, string documentId, WatchOptions options)
    {
        _collection = collection;
        _documentId = documentId;
        Buffer = new SnapshotBuffer<RawDocument<T>?>(options);
    }

    public SnapshotBuffer<RawDocument<T>?> Buffer { get; }

    public string DocumentId => _documentId;

    public override string? CollectionKey => _collection.CollectionId;

    public override string DocumentTypeName => typeof(T).Name;

    public override async Task SubscribeAsync(SocketIoConnection connection, CancellationToken cancellationToken)
    {
        int generation;
        lock (_gate)
        {
            _held = [];
            generation = ++_generation;
            AwaitingAnswer = true;
        }

        await JoinCollectionAsync(connection, _collection.ProjectId, _collection.CollectionId, cancellationToken).ConfigureAwait(false);
        RawDocument<T>? fetched;
        try
        {
            var data = _collection.Data;
            fetched = await JsonAnswer.ReadAsync(
                data.Api.GetAsync(_collection.ProjectId, _collection.CollectionId, _documentId, data.Sessions, cancellationToken),
                data.Errors, _collection.TypeInfo, static (json, typeInfo) => RealtimeWire.ReadGetAnswer(json, typeInfo), cancellationToken).ConfigureAwait(false);
        }
        catch (MudbaseNotFoundException)
        {
            fetched = null; // not there (yet): the snapshot says so, and a creation shows up later
        }

        lock (_gate)
        {
            if (_ended || generation != _generation)
            {
                return;
            }

            var isResync = _synced;
            _synced = true;
            _current = fetched;
            Buffer.Add(fetched, isResync);
            // The fetch holds what the events up to the last one equal to it did: applying those would go back in time.
            AwaitingAnswer = false;
            var held = new List<RawDocument<T>?>();
            foreach (var (eventName, packet, envelope) in _held!)
            {
                if (IsOwnCollection(envelope.CollectionId) && Read(eventName, packet, envelope) is (true, var state))
                {
                    held.Add(state);
                }
            }

            _held = null;
            for (var i = held.FindLastIndex(state => Same(state, fetched)) + 1; i < held.Count; i++)
            {
                Apply(held[i]);
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

            if (!_synced || !IsOwnCollection(envelope.CollectionId) || Read(eventName, packet, envelope) is not (true, var state))
            {
                return default;
            }

            Apply(state);
        }

        return new ValueTask(Buffer.WaitForRoomAsync(cancellationToken));
    }

    /// <summary>Whether the event is about this document, and its state after it (null once deleted).</summary>
    private (bool Mine, RawDocument<T>? State) Read(string eventName, ReadOnlyMemory<byte> packet, ChangeEnvelope envelope)
    {
        var data = packet.Span.Slice(envelope.DataStart, envelope.DataLength);
        if (RealtimeWire.ReadDocumentId(data) != _documentId)
        {
            return (false, null);
        }

        return (true, eventName == "db:delete" ? null : RealtimeWire.ReadDocument(data, _collection.TypeInfo));
    }

    public override void OnDisconnected(Exception? reason)
    {
        lock (_gate)
        {
            _held = null;
            AwaitingAnswer = false;
            _generation++;
        }
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

    private static bool Same(RawDocument<T>? a, RawDocument<T>? b) => a?.Hash == b?.Hash && a.HasValue == b.HasValue;

    /// <summary>Under the lock: a new state, yielded unless it repeats the current one.</summary>
    private void Apply(RawDocument<T>? state)
    {
        if (Same(state, _current))
        {
            return;
        }

        _current = state;
        Buffer.Add(state, isResync: false);
    }
}
