using System.Runtime.CompilerServices;
using Mudbase.Data;

namespace Mudbase.Realtime;

/// <summary>
/// The watches as async streams: the watch joins its session's connection at the first <c>MoveNextAsync</c>, and leaves
/// it (unsubscribing, and closing the connection after the last one) when the consumer stops, however it stops.
/// </summary>
internal static class RealtimeStreams
{
    public static IAsyncEnumerable<CollectionEvent<T>> Collection<T>(DocumentCollection<T> collection, WatchOptions? options, CancellationToken cancellationToken)
    {
        var watch = new CollectionWatch<T>(collection, WatchOptions.Check(options, nameof(options)));
        return ReadAsync(collection.Data.Scope.RealtimeConnection, watch, watch.Buffer, 0, static (_, item) => item, cancellationToken);
    }

    public static IAsyncEnumerable<DocumentSnapshot<T>> Document<T>(DocumentCollection<T> collection, string documentId, WatchOptions? options, CancellationToken cancellationToken)
    {
        Internal.Guard.NotBlank(documentId, nameof(documentId));
        var watch = new DocumentWatch<T>(collection, documentId, WatchOptions.Check(options, nameof(options)));
        return ReadAsync(collection.Data.Scope.RealtimeConnection, watch, watch.Buffer, documentId, static (id, item) =>
            new DocumentSnapshot<T>(id, item.State is { } state ? state.Document : default, item.IsResync), cancellationToken);
    }

    public static IAsyncEnumerable<QuerySnapshot<T>> Query<T>(DocumentQuery<T> query, WatchOptions? options, CancellationToken cancellationToken)
    {
        var watch = new QueryWatch<T>(query, WatchOptions.Check(options, nameof(options)));
        // Each snapshot is compared with the one this consumer saw last, so that merged snapshots lose no change.
        return ReadAsync(query.Collection.Data.Scope.RealtimeConnection, watch, watch.Buffer, new StrongBox<List<RawDocument<T>>?>(), static (seen, item) =>
        {
            var snapshot = QueryWatch<T>.Snapshot(seen.Value, item.State, item.IsResync);
            seen.Value = item.State;
            return snapshot;
        }, cancellationToken);
    }

    private static async IAsyncEnumerable<TOut> ReadAsync<TItem, TState, TOut>(
        MudbaseRealtime realtime, RealtimeWatch watch, WatchBuffer<TItem> buffer, TState state, Func<TState, TItem, TOut> map,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        realtime.Add(watch);
        try
        {
            while (true)
            {
                var (has, item) = await buffer.ReadAsync(cancellationToken).ConfigureAwait(false);
                if (!has)
                {
                    yield break;
                }

                yield return map(state, item);
            }
        }
        finally
        {
            await realtime.RemoveAsync(watch).ConfigureAwait(false);
        }
    }
}
