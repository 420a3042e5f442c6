using System.Collections.Concurrent;
using Mudbase.Data;
using Mudbase.Realtime;

namespace Mudbase.Tests.Support;

/// <summary>
/// A consumer of a collection stream that applies every event to a state, as an app should (the changes of a
/// Resynced included), and keeps the events it saw.
/// </summary>
internal sealed class CollectionMirror
{
    private int _gaps;

    public ConcurrentDictionary<string, MudbaseDocument> State { get; } = new();

    public ConcurrentQueue<CollectionEvent<MudbaseDocument>> Events { get; } = new();

    /// <summary>Disconnected events not yet followed by their Resynced.</summary>
    public int Gaps => Volatile.Read(ref _gaps);

    /// <summary>Every document's <c>title</c>, by id.</summary>
    public Dictionary<string, string> Titles() => State.ToDictionary(pair => pair.Key, pair => (string?)pair.Value["title"] ?? "");

    public int Count<TEvent>() => Events.Count(e => e is TEvent);

    public Task RunAsync(IAsyncEnumerable<CollectionEvent<MudbaseDocument>> stream) => Task.Run(async () =>
    {
        await foreach (var e in stream)
        {
            Apply(e);
        }
    });

    public void Apply(CollectionEvent<MudbaseDocument> e)
    {
        Events.Enqueue(e);
        switch (e)
        {
            case CollectionEvent<MudbaseDocument>.Created created:
                State[created.DocumentId] = created.Document;
                break;
            case CollectionEvent<MudbaseDocument>.Updated updated:
                State[updated.DocumentId] = updated.Document;
                break;
            case CollectionEvent<MudbaseDocument>.Deleted deleted:
                State.TryRemove(deleted.DocumentId, out _);
                break;
            case CollectionEvent<MudbaseDocument>.Disconnected:
                Interlocked.Increment(ref _gaps);
                break;
            case CollectionEvent<MudbaseDocument>.Resynced resynced:
                foreach (var change in resynced.Missed)
                {
                    if (change.Kind == ChangeKind.Removed)
                    {
                        State.TryRemove(change.DocumentId, out _);
                    }
                    else
                    {
                        State[change.DocumentId] = change.Document;
                    }
                }

                Interlocked.Decrement(ref _gaps);
                break;
        }
    }
}
