using Mudbase.Diagnostics;

namespace Mudbase.Realtime;

/// <summary>
/// What a watch hands its consumer, bounded, filled by the connection's dispatch loop and read by one consumer. The loop
/// never waits here, except in <see cref="RealtimeOverflow.Wait"/> mode, through <see cref="WaitForRoomAsync"/>,
/// outside every lock.
/// </summary>
internal abstract class WatchBuffer<TItem>
{
    private readonly int _capacity;
    private TaskCompletionSource<bool>? _readable;
    private TaskCompletionSource<bool>? _room;
    private Exception? _error;
    private bool _completed;

    protected WatchBuffer(WatchOptions options)
    {
        _capacity = options.BufferCapacity;
        Overflow = options.Overflow;
    }

    protected object Gate { get; } = new();

    protected RealtimeOverflow Overflow { get; }

    protected abstract int Count { get; }

    protected bool IsFull => Count >= _capacity;

    /// <summary>Ends the stream: after what is buffered, with <paramref name="error"/> thrown to the consumer when given.</summary>
    public void Complete(Exception? error = null)
    {
        lock (Gate)
        {
            if (_completed)
            {
                return;
            }

            _completed = true;
            _error = error;
        }

        Signal();
    }

    /// <summary>In <see cref="RealtimeOverflow.Wait"/> mode, waits until the consumer has made room (or the stream ended).</summary>
    public Task WaitForRoomAsync(CancellationToken cancellationToken)
    {
        if (Overflow != RealtimeOverflow.Wait)
        {
            return Task.CompletedTask;
        }

        lock (Gate)
        {
            if (!IsFull || _completed)
            {
                return Task.CompletedTask;
            }

            _room ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _room.Task.WaitAsync(cancellationToken);
        }
    }

    /// <summary>The next item, or false once the stream has ended (its error, if any, is thrown).</summary>
    public async ValueTask<(bool Has, TItem Item)> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (Gate)
            {
                if (TryTake(out var item))
                {
                    if (_room is { } room && !IsFull)
                    {
                        _room = null;
                        room.TrySetResult(true);
                    }

                    return (true, item);
                }

                if (_completed)
                {
                    if (_error is { } error)
                    {
                        _error = null;
                        System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error).Throw();
                    }

                    return (false, default!);
                }

                _readable ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _readable.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Under <see cref="Gate"/>: the next item to hand out.</summary>
    protected abstract bool TryTake(out TItem item);

    /// <summary>Wakes the consumer (call outside <see cref="Gate"/>).</summary>
    protected void Signal()
    {
        TaskCompletionSource<bool>? readable, room;
        lock (Gate)
        {
            readable = _readable;
            _readable = null;
            room = _completed ? _room : null;
            if (room is not null)
            {
                _room = null;
            }
        }

        readable?.TrySetResult(true);
        room?.TrySetResult(true);
    }
}

/// <summary>
/// A collection watch's events. Full, in <see cref="RealtimeOverflow.CoalesceByDocument"/> mode, a document's new event
/// replaces its pending one (moved to the end, so the order is that of the latest changes), and a document with no
/// pending event is still added: the buffer then holds at most one event per document, which the watch keeps in memory
/// anyway. Events about the stream itself (disconnected, resynced) are never merged or dropped.
/// </summary>
internal sealed class CollectionEventBuffer<T> : WatchBuffer<CollectionEvent<T>>
{
    // Spare nodes never outnumber the most events the buffer held at once; this bounds what a large BufferCapacity keeps.
    private const int MaxSpareNodes = 1024;

    private readonly LinkedList<(CollectionEvent<T> Event, string? DocumentId)> _items = new();
    private readonly Dictionary<string, LinkedListNode<(CollectionEvent<T> Event, string? DocumentId)>> _pending = new(StringComparer.Ordinal);

    /// <summary>Nodes taken out, kept for the next events.</summary>
    private readonly Stack<LinkedListNode<(CollectionEvent<T> Event, string? DocumentId)>> _spare = new();
    private long _overflowed;

    public CollectionEventBuffer(WatchOptions options)
        : base(options)
    {
    }

    protected override int Count => _items.Count;

    /// <summary>Adds an event (<paramref name="documentId"/> null for news of the stream itself).</summary>
    public void Add(CollectionEvent<T> item, string? documentId)
    {
        lock (Gate)
        {
            if (documentId is not null && IsFull)
            {
                if (Overflow == RealtimeOverflow.CoalesceByDocument && _pending.TryGetValue(documentId, out var node))
                {
                    // Created then updated is still news of a creation to a consumer that has not seen it.
                    if (node.Value.Event is CollectionEvent<T>.Created && item is CollectionEvent<T>.Updated updated)
                    {
                        item = new CollectionEvent<T>.Created(documentId, updated.Document);
                    }

                    _items.Remove(node);
                    _pending.Remove(documentId);
                    _overflowed++;
                    RealtimeMetrics.Coalesced.Add(1);
                }
                else if (Overflow == RealtimeOverflow.DropOldest && FirstDocumentEvent() is { } oldest)
                {
                    _items.Remove(oldest);
                    if (_pending.TryGetValue(oldest.Value.DocumentId!, out var pending) && pending == oldest)
                    {
                        _pending.Remove(oldest.Value.DocumentId!);
                    }

                    _overflowed++;
                    RealtimeMetrics.Dropped.Add(1);
                }
            }

            LinkedListNode<(CollectionEvent<T> Event, string? DocumentId)> added;
            if (_spare.Count > 0)
            {
                added = _spare.Pop();
                added.Value = (item, documentId);
                _items.AddLast(added);
            }
            else
            {
                added = _items.AddLast((item, documentId));
            }

            if (documentId is not null)
            {
                _pending[documentId] = added;
            }
        }

        Signal();
    }

    protected override bool TryTake(out CollectionEvent<T> item)
    {
        if (_overflowed > 0)
        {
            item = new CollectionEvent<T>.Overflowed(_overflowed);
            _overflowed = 0;
            return true;
        }

        if (_items.First is not { } first)
        {
            item = null!;
            return false;
        }

        _items.RemoveFirst();
        if (first.Value.DocumentId is { } id && _pending.TryGetValue(id, out var pending) && pending == first)
        {
            _pending.Remove(id);
        }

        item = first.Value.Event;
        if (_spare.Count < MaxSpareNodes)
        {
            first.Value = default;
            _spare.Push(first);
        }

        return true;
    }

    private LinkedListNode<(CollectionEvent<T> Event, string? DocumentId)>? FirstDocumentEvent()
    {
        for (var node = _items.First; node is not null; node = node.Next)
        {
            if (node.Value.DocumentId is not null)
            {
                return node;
            }
        }

        return null;
    }
}

/// <summary>
/// A snapshot watch's states (a query's result, a document). Each state is whole, so when the buffer is full the newest
/// replaces the last one waiting (the consumer compares with what it saw last, so nothing is lost), except in
/// <see cref="RealtimeOverflow.Wait"/> mode.
/// </summary>
internal sealed class SnapshotBuffer<TState> : WatchBuffer<(TState State, bool IsResync)>
{
    private readonly LinkedList<(TState State, bool IsResync)> _items = new();

    public SnapshotBuffer(WatchOptions options)
        : base(options)
    {
    }

    protected override int Count => _items.Count;

    public void Add(TState state, bool isResync)
    {
        lock (Gate)
        {
            if (IsFull && Overflow != RealtimeOverflow.Wait && _items.Last is { } last)
            {
                isResync |= last.Value.IsResync;
                _items.RemoveLast();
                RealtimeMetrics.Coalesced.Add(1);
            }

            _items.AddLast((state, isResync));
        }

        Signal();
    }

    protected override bool TryTake(out (TState State, bool IsResync) item)
    {
        if (_items.First is not { } first)
        {
            item = default;
            return false;
        }

        _items.RemoveFirst();
        item = first.Value;
        return true;
    }
}

/// <summary>The realtime counters of the <c>Mudbase.Client</c> meter.</summary>
internal static class RealtimeMetrics
{
    public static readonly System.Diagnostics.Metrics.Counter<long> Events = MudbaseDiagnostics.Meter.CreateCounter<long>(
        "mudbase.realtime.events", "{event}", "Realtime events received.");

    public static readonly System.Diagnostics.Metrics.Counter<long> Coalesced = MudbaseDiagnostics.Meter.CreateCounter<long>(
        "mudbase.realtime.coalesced", "{event}", "Realtime events merged into a newer one because a consumer was behind.");

    public static readonly System.Diagnostics.Metrics.Counter<long> Dropped = MudbaseDiagnostics.Meter.CreateCounter<long>(
        "mudbase.realtime.dropped", "{event}", "Realtime events dropped because a consumer was behind (DropOldest).");

    public static readonly System.Diagnostics.Metrics.Counter<long> Reconnects = MudbaseDiagnostics.Meter.CreateCounter<long>(
        "mudbase.realtime.reconnects", "{reconnect}", "Realtime connections opened again after one was lost.");
}
