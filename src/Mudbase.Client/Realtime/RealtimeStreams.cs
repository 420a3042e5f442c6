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
        var checkedOptions = WatchOptions.Check(options, nameof(options));
        return Read(collection.Data.Scope.RealtimeConnection, new CollectionWatch<T>(collection, checkedOptions), cancellationToken);

        static async IAsyncEnumerable<CollectionEvent<T>> Read(MudbaseRealtime realtime, CollectionWatch<T> watch, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            realtime.Add(watch);
            try
            {
                while (true)
                {
                    var (has, item) = await watch.Buffer.ReadAsync(cancellationToken).ConfigureAwait(false);
                    if (!has)
                    {
                        yield break;
                    }

                    yield return item;
                }
            }
            finally
            {
                await realtime.RemoveAsync(watch).ConfigureAwait(false);
            }
        }
    }

    public static IAsyncEnumerable<DocumentSnapshot<T>> Document<T>(DocumentCollection<T> collection, string documentId, WatchOptions? options, CancellationToken cancellationToken)
    {
        Internal.Guard.NotBlank(documentId, nameof(documentId));
        var checkedOptions = WatchOptions.Check(options, nameof(options));
        return Read(collection.Data.Scope.RealtimeConnection, new DocumentWatch<T>(collection, documentId, checkedOptions), cancellationToken);

        static async IAsyncEnumerable<DocumentSnapshot<T>> Read(MudbaseRealtime realtime, DocumentWatch<T> watch, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            realtime.Add(watch);
            try
            {
                while (true)
                {
                    var (has, item) = await watch.Buffer.ReadAsync(cancellationToken).ConfigureAwait(false);
                    if (!has)
                    {
                        yield break;
                    }

                    yield return new DocumentSnapshot<T>(watch.DocumentId, item.State is { } state ? state.Document : default, item.IsResync);
                }
            }
            finally
            {
                await realtime.RemoveAsync(watch).ConfigureAwait(false);
            }
        }
    }

    public static IAsyncEnumerable<QuerySnapshot<T>> Query<T>(DocumentQuery<T> query, WatchOptions? options, CancellationToken cancellationToken)
    {
        var checkedOptions = WatchOptions.Check(options, nameof(options));
        return Read(query.Collection.Data.Scope.RealtimeConnection, new QueryWatch<T>(query, checkedOptions), cancellationToken);

        static async IAsyncEnumerable<QuerySnapshot<T>> Read(MudbaseRealtime realtime, QueryWatch<T> watch, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            realtime.Add(watch);
            List<RawDocument<T>>? seen = null;
            try
            {
                while (true)
                {
                    var (has, item) = await watch.Buffer.ReadAsync(cancellationToken).ConfigureAwait(false);
                    if (!has)
                    {
                        yield break;
                    }

                    // Compared with what this consumer saw last, so that merged snapshots lose no change.
                    var snapshot = QueryWatch<T>.Snapshot(seen, item.State, item.IsResync);
                    seen = item.State;
                    yield return snapshot;
                }
            }
            finally
            {
                await realtime.RemoveAsync(watch).ConfigureAwait(false);
            }
        }
    }
}
