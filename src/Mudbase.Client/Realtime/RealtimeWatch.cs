using Mudbase.Realtime.Protocol;

namespace Mudbase.Realtime;

/// <summary>
/// One consumer's subscription, as <see cref="MudbaseRealtime"/> drives it: subscribed (and its state fetched) on every
/// connection, fed the events that concern it by the dispatch loop, told when the link is lost, ended once.
/// </summary>
internal abstract class RealtimeWatch
{
    /// <summary>The collection as the caller named it (id, slug or name); null for a watch that is not in a collection's room.</summary>
    public abstract string? CollectionKey { get; }

    /// <summary>The collection's id, as the server's answer to the subscription gave it.</summary>
    public string? ResolvedCollectionId { get; protected set; }

    /// <summary>The query's id, for a query watch.</summary>
    public virtual string? QueryId => null;

    /// <summary>For messages: the document type.</summary>
    public abstract string DocumentTypeName { get; }

    /// <summary>
    /// Whether a <c>db:*</c> event about <paramref name="collectionId"/> goes to this watch: one about its collection, or
    /// any while its subscription's answer (which names the collection's id) is awaited, since events may overtake it;
    /// the watch sorts those out once it knows the id.
    /// </summary>
    public bool Matches(string collectionId) => CollectionKey is not null && (AwaitingAnswer || IsOwnCollection(collectionId));

    /// <summary>Whether <paramref name="collectionId"/> is this watch's collection (by the id the server gave, or as named).</summary>
    protected bool IsOwnCollection(string collectionId) =>
        CollectionKey is { } key && (collectionId == ResolvedCollectionId || string.Equals(collectionId, key, StringComparison.Ordinal));

    /// <summary>Set while the subscription's answer is awaited.</summary>
    protected volatile bool AwaitingAnswer;

    /// <summary>Whether the two watches are in the same collection room (one unsubscribe would end both).</summary>
    public bool SharesRoomWith(RealtimeWatch other) =>
        other.CollectionKey is { } key && CollectionKey is { } mine
        && (string.Equals(key, mine, StringComparison.Ordinal) || (ResolvedCollectionId is not null && ResolvedCollectionId == other.ResolvedCollectionId));

    /// <summary>Subscribes on <paramref name="connection"/>, waits for the server's ack, fetches the state, and yields what the consumer must see.</summary>
    /// <exception cref="MudbaseException">The subscription was refused, or the state could not be fetched.</exception>
    public abstract Task SubscribeAsync(SocketIoConnection connection, CancellationToken cancellationToken);

    /// <summary>A <c>db:create|update|delete</c> event about this watch's collection.</summary>
    public virtual ValueTask OnChangeAsync(string eventName, ReadOnlyMemory<byte> packet, ChangeEnvelope envelope, CancellationToken cancellationToken) => default;

    /// <summary>A <c>query:change</c> event for this watch's query.</summary>
    public virtual ValueTask OnQueryChangeAsync(ReadOnlyMemory<byte> packet, CancellationToken cancellationToken) => default;

    /// <summary>The connection was lost; the watch will be subscribed again on the next one.</summary>
    public abstract void OnDisconnected(Exception? reason);

    /// <summary>Ends the consumer's stream (after what is buffered), with an error or normally.</summary>
    public abstract void End(Exception? error);

    /// <summary>Tells the server this watch is gone (best effort).</summary>
    public abstract Task UnsubscribeAsync(SocketIoConnection connection);

    /// <summary>Joins the collection's room and waits for the server's answer, which gives the collection's id.</summary>
    /// <exception cref="MudbaseException">The subscription was refused.</exception>
    protected async Task JoinCollectionAsync(SocketIoConnection connection, string projectId, string collectionId, CancellationToken cancellationToken)
    {
        var ack = await connection.EmitWithAckAsync(
            "subscribe:collection", new SubscribeCollectionPayload(projectId, collectionId),
            RealtimeJsonContext.Default.SubscribeCollectionPayload, cancellationToken).ConfigureAwait(false);
        ResolvedCollectionId = CheckSubscribed(ack) ?? ResolvedCollectionId;
    }

    /// <summary>Leaves the collection's room (by the id the server gave, else as named).</summary>
    protected Task LeaveCollectionAsync(SocketIoConnection connection, string collectionId) =>
        connection.EmitAsync("unsubscribe:collection", new UnsubscribeCollectionPayload(ResolvedCollectionId ?? collectionId),
            RealtimeJsonContext.Default.UnsubscribeCollectionPayload);

    /// <summary>Maps a refused subscription (its ack's <c>error</c>) to the exception a REST call would have thrown.</summary>
    protected static MudbaseException Refused(string message)
    {
        var text = "The realtime server refused the subscription: " + message;
        return message switch
        {
            _ when message.Contains("not found", StringComparison.OrdinalIgnoreCase) => new MudbaseNotFoundException(text),
            _ when message.Contains("permission", StringComparison.OrdinalIgnoreCase) || message.Contains("denied", StringComparison.OrdinalIgnoreCase) =>
                new MudbaseForbiddenException(text),
            _ => new MudbaseValidationException(text),
        };
    }

    /// <summary>The subscription's answer: null (the server acked with nothing) or its collection id; a refusal throws.</summary>
    protected static string? CheckSubscribed(SocketIoAck ack)
    {
        var answer = RealtimeWire.ReadSubscribed(ack);
        if (answer?.Error is { } error)
        {
            throw Refused(error);
        }

        return answer?.Id;
    }
}
