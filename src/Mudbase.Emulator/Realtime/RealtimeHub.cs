using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Primitives;
using Mudbase.Emulator.Data;

namespace Mudbase.Emulator.Realtime;

/// <summary>
/// The emulator's Socket.IO server state: the open connections, and the delivery of every document write to the
/// sockets that may read it. <see cref="DataState.Changed"/> fires under the store's lock, so changes go through a
/// channel to one dispatch loop, which hands each connection its frames without waiting for it.
/// </summary>
internal sealed class RealtimeHub : IDisposable
{
    private readonly DataState _data;
    private readonly ConcurrentDictionary<RealtimeConnection, byte> _connections = new();
    private readonly Channel<DataChange> _changes = Channel.CreateUnbounded<DataChange>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _dispatch;
    private long _lastSequence;
    private int _refusals;

    public RealtimeHub(DataState data, RealtimeSettings settings)
    {
        _data = data;
        Settings = settings;
        data.Changed += change =>
        {
            Volatile.Write(ref _lastSequence, change.Sequence);
            _changes.Writer.TryWrite(change);
        };
        _dispatch = Task.Run(DispatchAsync);
    }

    public RealtimeSettings Settings { get; }

    /// <summary>Cancelled when the emulator stops: every connection ends.</summary>
    public CancellationToken Stopping => _stopping.Token;

    /// <summary>The sequence of the last change written (not necessarily delivered yet).</summary>
    public long LastSequence => Volatile.Read(ref _lastSequence);

    public static string NewSid() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(15)).Replace('+', '-').Replace('/', '_');

    /// <summary>Makes every open connection go silent without closing (see <see cref="RealtimeConnection.Stall"/>); returns how many.</summary>
    public int StallAll()
    {
        var count = 0;
        foreach (var connection in _connections.Keys)
        {
            connection.Stall();
            count++;
        }

        return count;
    }

    /// <summary>Whether new connections are refused (see <see cref="Refuse"/>).</summary>
    public bool IsRefusing => Volatile.Read(ref _refusals) > 0;

    /// <summary>Refuses new connections until the handle is disposed (handles nest).</summary>
    public IDisposable Refuse()
    {
        Interlocked.Increment(ref _refusals);
        return new Refusal(this);
    }

    public void Add(RealtimeConnection connection) => _connections.TryAdd(connection, 0);

    public void Remove(RealtimeConnection connection) => _connections.TryRemove(connection, out _);

    /// <summary>How many signed-in sockets hear of writes to a collection (its room, or a query on it).</summary>
    public int CountSubscribers(string collectionId) =>
        _connections.Keys.Count(connection => connection.Caller is not null && connection.IsSubscribedTo(collectionId));

    /// <summary>Drops every connection, as a network fault would; returns how many there were.</summary>
    public int DropAll()
    {
        var count = 0;
        foreach (var connection in _connections.Keys)
        {
            connection.Abort();
            count++;
        }

        return count;
    }

    public CollectionSchema? FindCollection(string projectId, string reference) => _data.FindCollection(projectId, reference);

    /// <summary>
    /// The collection a <c>subscribe:*</c> names, as the data routes resolve it (<c>_id</c>, slug or name) in the
    /// caller's own project (a user's token is valid there only), if the caller may read it; else refuses.
    /// </summary>
    public CollectionSchema? ResolveCollection(RealtimeRequest request)
    {
        var own = request.Caller.Account.ProjectId;
        if (request.ReadString("projectId") is { } projectId && !string.Equals(projectId, own, StringComparison.OrdinalIgnoreCase))
        {
            request.Refuse("Access denied");
            return null;
        }

        if (request.ReadReference("collectionId") is not { Length: > 0 } reference)
        {
            request.Refuse("collectionId is required");
            return null;
        }

        if (_data.FindCollection(own, reference) is not { } collection)
        {
            request.Refuse("Collection not found");
            return null;
        }

        if (!DataAccess.For(collection, request.Caller, DataActions.Read).Granted)
        {
            request.Refuse("Insufficient permissions");
            return null;
        }

        return collection;
    }

    /// <summary>
    /// A <c>subscribe:query</c>'s <c>{projectId, collectionId, queryId, query}</c>. <c>query</c> is a Mongo filter, as the
    /// data routes' <c>filter</c> takes it; <c>{filter, sort, limit}</c> (only those keys) also says how to sort and cut.
    /// </summary>
    public QuerySubscription? ResolveQuery(RealtimeRequest request)
    {
        if (request.Argument.ValueKind != JsonValueKind.Object)
        {
            request.Refuse("subscribe:query takes {projectId, collectionId, queryId, query}");
            return null;
        }

        if (ResolveCollection(request) is not { } collection)
        {
            return null;
        }

        if (request.ReadString("queryId") is not { Length: > 0 } queryId)
        {
            request.Refuse("queryId is required");
            return null;
        }

        var filter = request.Argument.TryGetProperty("query", out var query) ? query : default;
        string? sort = null;
        int? limit = null;
        if (filter.ValueKind == JsonValueKind.Object && filter.EnumerateObject().Any()
            && filter.EnumerateObject().All(property => property.Name is "filter" or "sort" or "limit"))
        {
            sort = filter.TryGetProperty("sort", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
            limit = filter.TryGetProperty("limit", out var l) && l.ValueKind == JsonValueKind.Number && l.TryGetInt32(out var n) ? Math.Clamp(n, 1, DocumentQuery.MaxLimit) : null;
            filter = filter.TryGetProperty("filter", out var f) ? f : default;
        }

        var parameters = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        if (filter.ValueKind == JsonValueKind.Object)
        {
            parameters["filter"] = filter.GetRawText();
        }
        else if (filter.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
        {
            request.Refuse("Invalid input: Invalid query: filter must be a JSON object");
            return null;
        }

        if (sort is not null)
        {
            parameters["sort"] = sort;
        }

        try
        {
            return new QuerySubscription(queryId, collection.ProjectId, collection.Id, DocumentQuery.From(new QueryCollection(parameters)), limit);
        }
        catch (InvalidQueryException exception)
        {
            request.Refuse(exception.Message);
            return null;
        }
    }

    /// <summary>
    /// <c>query:change {queryId, projectId, collectionId, documents, timestamp}</c>: every document the caller may read
    /// that matches, sorted as the data routes sort (the whole set unless the query gave a limit);
    /// <see langword="null"/> when the collection is gone.
    /// </summary>
    public byte[]? RunQuery(QuerySubscription query, DataCaller caller, CollectionSchema? collection = null, IReadOnlyList<StoredDocument>? documents = null)
    {
        collection ??= _data.FindCollection(query.ProjectId, query.CollectionId);
        if (collection is null || (documents ?? _data.Snapshot(collection.Id)) is not { } all)
        {
            return null;
        }

        var access = DataAccess.For(collection, caller, DataActions.Read);
        var matching = query.Query.Order(all.Where(document => access.Reaches(document.Body) && query.Query.Filter.Matches(document.Body)));
        var timestamp = JsonAnswer.Timestamp(_data.TimeProvider.GetUtcNow());
        return SocketIoFrames.Event("query:change", writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("queryId", query.QueryId);
            writer.WriteString("projectId", query.ProjectId);
            writer.WriteString("collectionId", query.CollectionId);
            writer.WriteStartArray("documents");
            foreach (var document in query.Limit is { } limit ? matching.Take(limit) : matching)
            {
                document.Body.WriteTo(writer);
            }

            writer.WriteEndArray();
            writer.WriteString("timestamp", timestamp);
            writer.WriteEndObject();
        });
    }

    /// <summary><c>{type, id, projectId}</c>: the <c>subscribed</c> event's payload, and the subscription's ack.</summary>
    public static Action<Utf8JsonWriter> Subscribed(string type, string id, string projectId) => writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("type", type);
        writer.WriteString("id", id);
        writer.WriteString("projectId", projectId);
        writer.WriteEndObject();
    };

    private sealed class Refusal(RealtimeHub hub) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref hub._refusals);
            }
        }
    }

    public void Dispose()
    {
        _changes.Writer.TryComplete();
        _stopping.Cancel();
        DropAll();
        // The loop only ever waits on the channel, which just completed.
        _dispatch.Wait(TimeSpan.FromSeconds(5));
        _stopping.Dispose();
    }

    private async Task DispatchAsync()
    {
        await foreach (var change in _changes.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (!_stopping.IsCancellationRequested)
            {
                Deliver(change);
            }
        }
    }

    private void Deliver(DataChange change)
    {
        if (change.Action is not (DataChange.Create or DataChange.Update or DataChange.Delete)
            || _data.FindCollection(change.ProjectId, change.CollectionId) is not { } collection)
        {
            return;
        }

        // Who could read the row hears of it; for a deletion, who could read it before.
        var row = change.Deleted ?? change.Data;
        byte[]? frame = null;
        IReadOnlyList<StoredDocument>? documents = null;
        foreach (var connection in _connections.Keys)
        {
            if (connection.Caller is not { } caller || caller.Account.ProjectId != change.ProjectId)
            {
                continue;
            }

            var (inRoom, queries) = connection.Interest(change);
            if (inRoom && DataAccess.For(collection, caller, DataActions.Read).Reaches(row))
            {
                connection.TrySend(frame ??= EventFrame(change));
            }

            if (queries.Count > 0)
            {
                documents ??= _data.Snapshot(collection.Id) ?? [];
                connection.Locked(() =>
                {
                    foreach (var query in queries)
                    {
                        if (RunQuery(query, caller, collection, documents) is { } result)
                        {
                            connection.TrySend(result);
                        }
                    }
                });
            }
        }
    }

    private static byte[] EventFrame(DataChange change) => SocketIoFrames.Event(change.Event, writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("projectId", change.ProjectId);
        writer.WriteString("collectionId", change.CollectionId);
        writer.WriteString("action", change.Action);
        writer.WritePropertyName("data");
        change.Data.WriteTo(writer);
        writer.WriteString("timestamp", JsonAnswer.Timestamp(change.Timestamp));
        writer.WriteEndObject();
    });
}
