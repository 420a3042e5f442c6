using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Mudbase.Emulator.Data;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Realtime;

/// <summary>A query subscription: its id, where it reads, and the compiled query.</summary>
internal sealed record QuerySubscription(string QueryId, string ProjectId, string CollectionId, DocumentQuery Query, int? Limit);

/// <summary>
/// One Engine.IO connection over a WebSocket, and the Socket.IO socket on it once <c>40</c> authenticates a user.
/// Three loops: receive (parses packets, answers pongs' waiters and events), send (the only writer to the socket,
/// draining a bounded queue, so that a broadcast never waits for this client) and ping (a ping every pingInterval, the
/// socket dropped when its pong is later than pingTimeout).
/// </summary>
internal sealed class RealtimeConnection
{
    // Node closes a client that never sends its CONNECT after 45 s (connectTimeout).
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(45);

    private readonly RealtimeHub _hub;
    private readonly Func<string, UserAccount?> _authenticate;
    private readonly WebSocket _socket;
    private readonly string? _headerToken;
    private readonly Channel<byte[]> _outbox;
    private readonly CancellationTokenSource _stop;
    private readonly Lock _gate = new();
    // Room → the last change written before the socket joined: the dispatch runs behind the writes, and a write made
    // before a (re)subscription must not reach it as if it came after.
    private readonly Dictionary<string, long> _collections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _projects = new(StringComparer.Ordinal);
    private readonly Dictionary<string, QuerySubscription> _queries = new(StringComparer.Ordinal);
    private TaskCompletionSource? _pong;
    private volatile bool _stalled;
    private DataCaller.User? _caller;

    public RealtimeConnection(RealtimeHub hub, Func<string, UserAccount?> authenticate, WebSocket socket, string? headerToken)
    {
        _hub = hub;
        _authenticate = authenticate;
        _socket = socket;
        _headerToken = headerToken;
        _stop = CancellationTokenSource.CreateLinkedTokenSource(hub.Stopping);
        _outbox = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(hub.Settings.OutboundQueueCapacity) { SingleReader = true });
        EngineSid = RealtimeHub.NewSid();
    }

    public string EngineSid { get; }

    /// <summary>The signed-in user once <c>40</c> succeeded; <see langword="null"/> before (nothing is delivered then).</summary>
    public DataCaller.User? Caller => Volatile.Read(ref _caller);

    /// <summary>Queues a frame; a full queue means the client cannot keep up, and it is dropped rather than waited for.</summary>
    public bool TrySend(byte[] frame)
    {
        if (_outbox.Writer.TryWrite(frame))
        {
            return true;
        }

        Abort();
        return false;
    }

    /// <summary>
    /// Goes silent without closing, as a half-open link does: nothing more is sent (no events, no pings) and the pong
    /// deadline no longer applies, so only the client's own ping timeout can notice.
    /// </summary>
    public void Stall() => _stalled = true;

    /// <summary>Drops the connection at once, without a close handshake (as a lost link would).</summary>
    public void Abort()
    {
        try
        {
            _stop.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already over.
        }

        _socket.Abort();
    }

    public async Task RunAsync()
    {
        var settings = _hub.Settings;
        TrySend(SocketIoFrames.Open(EngineSid, settings.PingInterval, settings.PingTimeout, RealtimeSettings.MaxPayload));
        var sender = SendLoopAsync();
        var pinger = PingLoopAsync();
        var deadline = ConnectDeadlineAsync();
        try
        {
            await ReceiveLoopAsync().ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or IOException)
        {
            // The client went away, was dropped, or the emulator stops.
        }
        finally
        {
            _hub.Remove(this);
            _outbox.Writer.TryComplete();
            await _stop.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(sender, pinger, deadline).ConfigureAwait(false);
            await CloseAsync().ConfigureAwait(false);
            _stop.Dispose();
        }
    }

    /// <summary>Whether this socket hears of a write to the collection, and its queries there.</summary>
    public (bool InRoom, IReadOnlyList<QuerySubscription> Queries) Interest(DataChange change)
    {
        var (projectId, collectionId) = (change.ProjectId, change.CollectionId);
        lock (_gate)
        {
            var inRoom = (_collections.TryGetValue(collectionId, out var since) && change.Sequence > since)
                || (_projects.TryGetValue(projectId, out since) && change.Sequence > since);
            return (inRoom, _queries.Count == 0 ? [] : [.. _queries.Values.Where(q => q.CollectionId == collectionId)]);
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/> under this connection's lock, so that a query's first result and the results
    /// after writes reach the queue in the order they were computed.
    /// </summary>
    public void Locked(Action action)
    {
        lock (_gate)
        {
            action();
        }
    }

    /// <summary>Whether the socket listens to the collection; a dropped one does not, even before its loops have ended.</summary>
    public bool IsSubscribedTo(string collectionId)
    {
        if (_stop.IsCancellationRequested)
        {
            return false;
        }

        lock (_gate)
        {
            return _collections.ContainsKey(collectionId) || _queries.Values.Any(q => q.CollectionId == collectionId);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        var token = _stop.Token;
        while (true)
        {
            var result = await _socket.ReceiveAsync(buffer.GetMemory(4096), token).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return;
            }

            buffer.Advance(result.Count);
            if (buffer.WrittenCount > RealtimeSettings.MaxPayload)
            {
                // As Node does (maxHttpBufferSize): a message over the limit ends the connection.
                await _socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, "Max payload exceeded", token).ConfigureAwait(false);
                return;
            }

            if (!result.EndOfMessage)
            {
                continue;
            }

            // Binary frames are attachments of binary packets, which Mudbase does not use.
            var text = result.MessageType == WebSocketMessageType.Text ? Encoding.UTF8.GetString(buffer.WrittenSpan) : null;
            buffer.ResetWrittenCount();
            if (text is not null && !Handle(text))
            {
                return;
            }
        }
    }

    /// <returns><see langword="false"/> when the client closed the Engine.IO connection.</returns>
    private bool Handle(string text)
    {
        switch (text.Length == 0 ? ' ' : text[0])
        {
            case '1':
                return false;
            case '3':
                Volatile.Read(ref _pong)?.TrySetResult();
                return true;
            case '4' when SocketIoPacket.TryParse(text.AsSpan(1), out var packet):
                HandlePacket(packet);
                return true;
            default:
                // '2' (a client ping belongs to EIO 3), '6' noop, anything unknown: nothing to do.
                return true;
        }
    }

    private void HandlePacket(SocketIoPacket packet)
    {
        if (packet.Namespace != "/")
        {
            if (packet.Type == '0')
            {
                TrySend(SocketIoFrames.ConnectError(packet.Namespace, "Invalid namespace"));
            }

            return;
        }

        switch (packet.Type)
        {
            case '0':
                Connect(packet.Json);
                break;
            case '1':
                Disconnect();
                break;
            case '2' when Caller is { } caller:
                HandleEvent(caller, packet);
                break;
        }
    }

    private void Connect(string json)
    {
        var token = ReadToken(json) ?? _headerToken;
        if (token is null || _authenticate(token) is not { } user)
        {
            TrySend(SocketIoFrames.ConnectError("/", "Authentication error"));
            return;
        }

        LeaveAll();
        Volatile.Write(ref _caller, new DataCaller.User(user));
        TrySend(SocketIoFrames.Connected(RealtimeHub.NewSid()));
    }

    // The socket leaves every room; the Engine.IO connection stays, and a new 40 may connect again.
    private void Disconnect()
    {
        Volatile.Write(ref _caller, null);
        LeaveAll();
    }

    private void LeaveAll()
    {
        lock (_gate)
        {
            _collections.Clear();
            _projects.Clear();
            _queries.Clear();
        }
    }

    private static string? ReadToken(string json)
    {
        if (json.Length == 0)
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("token", out var token) && token.ValueKind == JsonValueKind.String
                ? token.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private void HandleEvent(DataCaller.User caller, SocketIoPacket packet)
    {
        JsonElement arguments;
        try
        {
            using var document = JsonDocument.Parse(packet.Json);
            arguments = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return;
        }

        if (arguments.ValueKind != JsonValueKind.Array || arguments.GetArrayLength() == 0 || arguments[0].ValueKind != JsonValueKind.String)
        {
            return;
        }

        var request = new RealtimeRequest(this, caller, arguments.GetArrayLength() > 1 ? arguments[1] : default, packet.AckId);
        switch (arguments[0].GetString())
        {
            case "subscribe:collection":
                SubscribeCollection(request);
                break;
            case "unsubscribe:collection":
                if (request.ReadReference("collectionId") is { } left)
                {
                    var id = _hub.FindCollection(caller.Account.ProjectId, left)?.Id ?? left;
                    Locked(() => _collections.Remove(id));
                }

                request.Ack(null);
                break;
            case "subscribe:query":
                SubscribeQuery(request);
                break;
            case "unsubscribe:query":
                var queryId = request.ReadReference("queryId") ?? "";
                Locked(() => _queries.Remove(queryId));
                request.Ack(null);
                break;
            case "subscribe:project":
                SubscribeProject(request);
                break;
            default:
                request.Ack(null);
                break;
        }
    }

    // {projectId, collectionId} is acked (when asked) and answered with `subscribed`; the bare "<collectionId>" is not.
    private void SubscribeCollection(RealtimeRequest request)
    {
        if (_hub.ResolveCollection(request) is not { } collection)
        {
            return;
        }

        var since = _hub.LastSequence;
        Locked(() => _collections[collection.Id] = since);
        var subscribed = RealtimeHub.Subscribed("collection", collection.Id, collection.ProjectId);
        request.Ack(subscribed);
        if (request.Argument.ValueKind == JsonValueKind.Object)
        {
            TrySend(SocketIoFrames.Event("subscribed", subscribed));
        }
    }

    private void SubscribeQuery(RealtimeRequest request)
    {
        if (_hub.ResolveQuery(request) is not { } query)
        {
            return;
        }

        // Under the lock: a write handled meanwhile sends its result after this first one, never before.
        Locked(() =>
        {
            _queries[query.QueryId] = query;
            request.Ack(RealtimeHub.Subscribed("query", query.QueryId, query.ProjectId));
            if (_hub.RunQuery(query, request.Caller) is { } frame)
            {
                TrySend(frame);
            }
        });
    }

    private void SubscribeProject(RealtimeRequest request)
    {
        var projectId = request.ReadReference("projectId");
        if (projectId is null || !string.Equals(projectId, request.Caller.Account.ProjectId, StringComparison.OrdinalIgnoreCase))
        {
            request.Refuse("Access denied");
            return;
        }

        var id = request.Caller.Account.ProjectId;
        var since = _hub.LastSequence;
        Locked(() => _projects[id] = since);
        var subscribed = RealtimeHub.Subscribed("project", id, id);
        request.Ack(subscribed);
        TrySend(SocketIoFrames.Event("subscribed", subscribed));
    }

    private async Task SendLoopAsync()
    {
        var reader = _outbox.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var frame))
                {
                    if (_stalled)
                    {
                        await Task.Delay(Timeout.Infinite, _stop.Token).ConfigureAwait(false);
                    }

                    await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, _stop.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or IOException or ObjectDisposedException)
        {
            Abort();
        }
    }

    // The next ping is due pingInterval after the last pong, not after the pong deadline: the official client expects
    // one within pingInterval + pingTimeout of the previous one and closes the connection otherwise.
    // Wall-clock time, not the emulator's TimeProvider: a test clock moved a day ahead must not drop live sockets.
    private async Task PingLoopAsync()
    {
        var settings = _hub.Settings;
        var token = _stop.Token;
        try
        {
            while (true)
            {
                await Task.Delay(settings.PingInterval, TimeProvider.System, token).ConfigureAwait(false);
                if (_stalled)
                {
                    await Task.Delay(Timeout.Infinite, token).ConfigureAwait(false);
                }

                var pong = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                Volatile.Write(ref _pong, pong);
                if (!TrySend(SocketIoFrames.Ping))
                {
                    return;
                }

                await pong.Task.WaitAsync(settings.PingTimeout, TimeProvider.System, token).ConfigureAwait(false);
            }
        }
        catch (TimeoutException)
        {
            Abort();
        }
        catch (OperationCanceledException)
        {
            // Over.
        }
    }

    private async Task ConnectDeadlineAsync()
    {
        try
        {
            await Task.Delay(ConnectTimeout, TimeProvider.System, _stop.Token).ConfigureAwait(false);
            if (Caller is null)
            {
                Abort();
            }
        }
        catch (OperationCanceledException)
        {
            // Over.
        }
    }

    private async Task CloseAsync()
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is OperationCanceledException or WebSocketException or IOException)
        {
            // The client is gone already.
        }
    }
}
