using System.Text.Json;
using Mudbase.Data;
using Mudbase.Realtime.Protocol;

namespace Mudbase.Realtime;

/// <summary>
/// A query's whole result, kept current: the server runs the query again after each write to the collection and sends
/// the whole result (<c>query:change</c>), first right after the subscription, and again after each reconnect. The
/// server is sent the query's filter; its order is applied here, so that it holds whatever order the server sends.
/// </summary>
internal sealed class QueryWatch<T> : RealtimeWatch
{
    private readonly object _gate = new();
    private readonly DocumentQuery<T> _query;
    private readonly string _queryId = "q_" + Guid.NewGuid().ToString("N");
    private readonly JsonElement _filter;
    private readonly (string[] Path, bool Descending)[] _order;
    private List<RawDocument<T>>? _last;
    private bool _resyncPending;
    private bool _ended;

    public QueryWatch(DocumentQuery<T> query, WatchOptions options)
    {
        _query = query;
        using (var filter = JsonDocument.Parse(query.Filter is { IsEmpty: false } f ? f.ToJson() : "{}"))
        {
            _filter = filter.RootElement.Clone();
        }

        _order = ParseOrder(query.Sort);
        Buffer = new SnapshotBuffer<List<RawDocument<T>>>(options);
    }

    public SnapshotBuffer<List<RawDocument<T>>> Buffer { get; }

    public override string? CollectionKey => null;

    public override string? QueryId => _queryId;

    public override string DocumentTypeName => typeof(T).Name;

    public override async Task SubscribeAsync(SocketIoConnection connection, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            // The first result on this connection is news of what was missed while the link was down.
            _resyncPending = _last is not null;
        }

        var collection = _query.Collection;
        var ack = await connection.EmitWithAckAsync(
            "subscribe:query", new SubscribeQueryPayload(collection.ProjectId, collection.CollectionId, _queryId, _filter),
            RealtimeJsonContext.Default.SubscribeQueryPayload, cancellationToken).ConfigureAwait(false);
        CheckSubscribed(ack);
    }

    public override ValueTask OnQueryChangeAsync(ReadOnlyMemory<byte> packet, CancellationToken cancellationToken)
    {
        var documents = RealtimeWire.ReadQueryDocuments(packet.Span, _query.Collection.TypeInfo);
        if (_order.Length > 0)
        {
            documents = Sort(packet, documents);
        }

        lock (_gate)
        {
            if (_ended)
            {
                return default;
            }

            var isResync = _resyncPending;
            _resyncPending = false;
            if (_last is not null && !isResync && SameAs(_last, documents))
            {
                return default; // a write elsewhere in the collection: this result did not change
            }

            _last = documents;
            Buffer.Add(documents, isResync);
        }

        return new ValueTask(Buffer.WaitForRoomAsync(cancellationToken));
    }

    public override void OnDisconnected(Exception? reason)
    {
    }

    public override void End(Exception? error)
    {
        lock (_gate)
        {
            _ended = true;
        }

        Buffer.Complete(error);
    }

    public override Task UnsubscribeAsync(SocketIoConnection connection) =>
        connection.EmitAsync("unsubscribe:query", new UnsubscribeQueryPayload(_queryId), RealtimeJsonContext.Default.UnsubscribeQueryPayload);

    /// <summary>The snapshot a consumer sees: the result, and its changes since the consumer's previous one (by id).</summary>
    public static QuerySnapshot<T> Snapshot(List<RawDocument<T>>? previous, List<RawDocument<T>> current, bool isResync)
    {
        var changes = new List<DocumentChange<T>>();
        var before = new Dictionary<string, int>(previous?.Count ?? 0, StringComparer.Ordinal);
        for (var i = 0; previous is not null && i < previous.Count; i++)
        {
            before[previous[i].Id] = i;
        }

        var after = new HashSet<string>(StringComparer.Ordinal);
        foreach (var document in current)
        {
            after.Add(document.Id);
        }

        for (var i = 0; previous is not null && i < previous.Count; i++)
        {
            if (!after.Contains(previous[i].Id))
            {
                changes.Add(new DocumentChange<T>(ChangeKind.Removed, previous[i].Id, previous[i].Document, i, -1));
            }
        }

        var items = new T[current.Count];
        for (var j = 0; j < current.Count; j++)
        {
            var document = current[j];
            items[j] = document.Document;
            if (!before.TryGetValue(document.Id, out var i))
            {
                changes.Add(new DocumentChange<T>(ChangeKind.Added, document.Id, document.Document, -1, j));
            }
            else if (previous![i].Hash != document.Hash)
            {
                changes.Add(new DocumentChange<T>(ChangeKind.Modified, document.Id, document.Document, i, j));
            }
        }

        return new QuerySnapshot<T>(items, changes, isResync);
    }

    private static bool SameAs(List<RawDocument<T>> a, List<RawDocument<T>> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (var i = 0; i < a.Count; i++)
        {
            if (a[i].Id != b[i].Id || a[i].Hash != b[i].Hash)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><c>-a,b.c</c> as paths and directions.</summary>
    private static (string[] Path, bool Descending)[] ParseOrder(string? sort) =>
        string.IsNullOrEmpty(sort)
            ? []
            : sort!.Split(',').Select(key => key.StartsWith('-') ? (key.Substring(1).Split('.'), true) : (key.Split('.'), false)).ToArray();

    /// <summary>Orders the documents by the query's sort keys, as the data routes would; ties keep the server's order.</summary>
    private List<RawDocument<T>> Sort(ReadOnlyMemory<byte> packet, List<RawDocument<T>> documents)
    {
        // Parsed in place, no copy: the packet goes back to the connection only after dispatch, and this document is disposed first.
        using var json = JsonDocument.Parse(packet);
        var array = json.RootElement[1].GetProperty("documents");
        var keys = new JsonElement[documents.Count][];
        var index = 0;
        foreach (var element in array.EnumerateArray())
        {
            keys[index++] = _order.Select(key => Find(element, key.Path)).ToArray();
        }

        var order = Enumerable.Range(0, documents.Count).ToArray();
        Array.Sort(order, (x, y) =>
        {
            for (var k = 0; k < _order.Length; k++)
            {
                var compared = JsonOrder.Compare(keys[x][k], keys[y][k]);
                if (compared != 0)
                {
                    return _order[k].Descending ? -compared : compared;
                }
            }

            return x.CompareTo(y);
        });
        return order.Select(i => documents[i]).ToList();
    }

    private static JsonElement Find(JsonElement element, string[] path)
    {
        foreach (var part in path)
        {
            if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(part, out element))
            {
                return default;
            }
        }

        return element;
    }
}

/// <summary>MongoDB's order of values of different types, as far as JSON has them: missing and null, numbers, strings, objects, arrays, booleans.</summary>
internal static class JsonOrder
{
    public static int Compare(JsonElement x, JsonElement y)
    {
        var rank = Rank(x).CompareTo(Rank(y));
        if (rank != 0)
        {
            return rank;
        }

        return x.ValueKind switch
        {
            JsonValueKind.Number => x.GetDouble().CompareTo(y.GetDouble()),
            JsonValueKind.String => string.CompareOrdinal(x.GetString(), y.GetString()),
            JsonValueKind.True or JsonValueKind.False => (x.ValueKind == JsonValueKind.True).CompareTo(y.ValueKind == JsonValueKind.True),
            JsonValueKind.Object or JsonValueKind.Array => string.CompareOrdinal(x.GetRawText(), y.GetRawText()),
            _ => 0,
        };
    }

    private static int Rank(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => 0,
        JsonValueKind.Number => 1,
        JsonValueKind.String => 2,
        JsonValueKind.Object => 3,
        JsonValueKind.Array => 4,
        _ => 5,
    };
}
