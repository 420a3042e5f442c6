using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Channels;

namespace Mudbase.Realtime.Protocol;

/// <summary>
/// One Socket.IO v4 connection (Engine.IO 4, protocol 5, websocket transport only, default namespace): opened by
/// <see cref="ConnectAsync"/>, which returns only once the server sent <c>40{sid}</c>; it ends once, for the reason
/// <see cref="Completion"/> gives. Reconnecting is the caller's: each attempt is a new connection (a new sid, and the
/// token read again).
/// </summary>
/// <remarks>
/// One receive loop reads every frame: it answers the server's pings at once (never behind user code, trap 5 of the
/// research note), completes acks and puts events in <see cref="Events"/>, waiting on the reader only while that is
/// full, and never longer than half the server's ping timeout. Sends go one at a time (a WebSocket allows one pending send).
/// </remarks>
internal sealed class SocketIoConnection : IAsyncDisposable
{
    private static readonly byte[] PongFrame = "3"u8.ToArray();
    private static readonly byte[] DisconnectFrame = "41"u8.ToArray();
    private static readonly byte[] ConnectPrefix = "40"u8.ToArray();
    private static readonly byte[] EventPrefix = "42"u8.ToArray();
    private static readonly byte[] AckPrefix = "43"u8.ToArray();

    private readonly WebSocket _socket;
    private readonly SocketIoConnectionOptions _options;
    private readonly Channel<SocketIoEvent> _events;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly MemoryStream _sendBuffer = new();
    private readonly ConcurrentDictionary<int, TaskCompletionSource<SocketIoAck>> _acks = new();
    private readonly TaskCompletionSource<SocketIoDisconnect> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Utf8JsonWriter? _writer;
    private byte[] _receiveBuffer = new byte[4096];
    private PacketSlab? _slab;
    private ITimer? _deadLinkTimer;
    private SocketIoDisconnect? _reason;
    private Task _receiveLoop = Task.CompletedTask;
    private int _lastAckId = -1;
    private volatile bool _handshakeTimedOut;

    private SocketIoConnection(WebSocket socket, SocketIoConnectionOptions options)
    {
        _socket = socket;
        _options = options;
        _events = Channel.CreateBounded<SocketIoEvent>(new BoundedChannelOptions(options.EventBufferCapacity)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>The Engine.IO open packet (engine sid, ping interval and timeout, the server's largest message).</summary>
    public EngineOpen Engine { get; private set; }

    /// <summary>The Socket.IO sid of <c>40{sid}</c>: it changes with every connection (rooms are per connection).</summary>
    public string SocketId { get; private set; } = "";

    /// <summary>Received events; completed (without an error) when the connection ends.</summary>
    public ChannelReader<SocketIoEvent> Events => _events.Reader;

    /// <summary>The WebSocket's state (Closed after a clean close, Aborted otherwise).</summary>
    public WebSocketState SocketState => _socket.State;

    /// <summary>Completes once, when the connection has ended, with why.</summary>
    public Task<SocketIoDisconnect> Completion => _completion.Task;

    /// <summary><c>{base}/socket.io/?EIO=4&amp;transport=websocket</c>, ws(s) for http(s), keeping the base's path (trap 11).</summary>
    public static Uri BuildUri(Uri baseUrl)
    {
        var builder = new UriBuilder(baseUrl)
        {
            Scheme = baseUrl.Scheme switch
            {
                "https" or "wss" => "wss",
                "http" or "ws" => "ws",
                _ => throw new ArgumentException("The realtime base URL must be http, https, ws or wss.", nameof(baseUrl)),
            },
            Path = baseUrl.AbsolutePath.TrimEnd('/') + "/socket.io/",
            Query = "EIO=4&transport=websocket",
            Fragment = "",
        };
        return builder.Uri;
    }

    /// <summary>
    /// Opens the WebSocket, reads the open packet, sends <c>40{"token":…}</c> with the token <paramref name="getToken"/>
    /// gives now (null: no auth payload) and waits for <c>40{sid}</c>.
    /// </summary>
    /// <exception cref="SocketIoAuthRefusedException">The server answered <c>44</c>.</exception>
    /// <exception cref="SocketIoException">The handshake timed out, the link closed or the server broke the protocol.</exception>
    public static async Task<SocketIoConnection> ConnectAsync(
        Uri baseUrl, Func<CancellationToken, ValueTask<string?>> getToken, SocketIoConnectionOptions options, CancellationToken cancellationToken)
    {
        var uri = BuildUri(baseUrl);
        var token = await getToken(cancellationToken).ConfigureAwait(false);
        WebSocket socket;
        try
        {
            socket = await options.WebSocketFactory(uri, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or HttpRequestException or IOException)
        {
            throw new SocketIoException("The realtime WebSocket could not be opened.", e);
        }

        var connection = new SocketIoConnection(socket, options);
        try
        {
            await connection.HandshakeAsync(token, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            socket.Abort();
            socket.Dispose();
            throw;
        }

        connection.ArmDeadLinkTimer();
        connection._receiveLoop = Task.Run(connection.ReceiveLoopAsync, CancellationToken.None);
        return connection;
    }

    /// <summary>Sends <c>42["name"]</c>.</summary>
    public Task EmitAsync(string eventName, CancellationToken cancellationToken = default) =>
        SendEventAsync(eventName, 0, static (_, _) => { }, -1, cancellationToken);

    /// <summary>Sends <c>42["name",argument]</c>.</summary>
    public Task EmitAsync<T>(string eventName, T argument, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default) =>
        SendEventAsync(eventName, (argument, typeInfo), static (w, s) => JsonSerializer.Serialize(w, s.argument, s.typeInfo), -1, cancellationToken);

    /// <summary>
    /// Sends <c>42&lt;id&gt;["name",argument]</c> and waits for the server's <c>43&lt;id&gt;[…]</c>. Cancelling stops
    /// the wait only (the event may have been sent).
    /// </summary>
    /// <exception cref="SocketIoDisconnectedException">The connection ended before the ack.</exception>
    public async Task<SocketIoAck> EmitWithAckAsync<T>(string eventName, T argument, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken = default)
    {
        var id = Interlocked.Increment(ref _lastAckId);
        var pending = new TaskCompletionSource<SocketIoAck>(TaskCreationOptions.RunContinuationsAsynchronously);
        _acks[id] = pending;
        try
        {
            // The loop fails every pending ack when it ends; one added after that is failed here.
            if (_completion.Task.IsCompleted)
            {
                throw new SocketIoDisconnectedException(_completion.Task.Result);
            }

            await SendEventAsync(eventName, (argument, typeInfo), static (w, s) => JsonSerializer.Serialize(w, s.argument, s.typeInfo), id, cancellationToken)
                .ConfigureAwait(false);
            return await pending.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _acks.TryRemove(id, out _);
        }
    }

    /// <summary>Closes cleanly: <c>41</c>, then a WebSocket close, bounded by <see cref="SocketIoConnectionOptions.CloseTimeout"/>.</summary>
    public async Task CloseAsync()
    {
        if (SetReason(new SocketIoDisconnect(SocketIoDisconnectReason.ClientClosed)))
        {
            // Bounds the whole close: a peer that never answers our close frame is aborted.
            using var timer = _options.TimeProvider.CreateTimer(static s => ((WebSocket)s!).Abort(), _socket, _options.CloseTimeout, Timeout.InfiniteTimeSpan);
            try
            {
                await SendFrameAsync(DisconnectFrame, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is WebSocketException or ObjectDisposedException or SocketIoException or IOException)
            {
                // The link is already gone: the receive loop ends on its own.
            }

            await CloseSocketAsync(WebSocketCloseStatus.NormalClosure).ConfigureAwait(false);
            await _receiveLoop.ConfigureAwait(false);
        }

        await _receiveLoop.ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync().ConfigureAwait(false);
        _socket.Dispose();
        _writer?.Dispose();
    }

    private async Task HandshakeAsync(string? token, CancellationToken cancellationToken)
    {
        using var timer = _options.TimeProvider.CreateTimer(
            static state =>
            {
                var connection = (SocketIoConnection)state!;
                connection._handshakeTimedOut = true;
                connection._socket.Abort();
            },
            this, _options.HandshakeTimeout, Timeout.InfiniteTimeSpan);
        using var registration = cancellationToken.Register(static state => ((WebSocket)state!).Abort(), _socket);
        try
        {
            var length = await ReceiveTextAsync().ConfigureAwait(false);
            var open = SocketIoPacket.Parse(_receiveBuffer.AsSpan(0, length));
            if (open.Kind != SocketIoPacketKind.Open)
            {
                throw new SocketIoException("The realtime server did not start with an Engine.IO open packet.");
            }

            Engine = SocketIoJson.ReadOpen(_receiveBuffer.AsSpan(open.JsonStart, length - open.JsonStart));
            await SendEventFrameAsync(token, static (w, t) =>
            {
                if (t is not null)
                {
                    w.WriteStartObject();
                    w.WriteString("token"u8, t);
                    w.WriteEndObject();
                }
            }, ConnectPrefix, -1, cancellationToken).ConfigureAwait(false);

            while (true)
            {
                length = await ReceiveTextAsync().ConfigureAwait(false);
                var packet = SocketIoPacket.Parse(_receiveBuffer.AsSpan(0, length));
                var json = _receiveBuffer.AsSpan(packet.JsonStart, length - packet.JsonStart);
                switch (packet.Kind)
                {
                    case SocketIoPacketKind.Ping:
                        await SendFrameAsync(PongFrame, CancellationToken.None).ConfigureAwait(false);
                        break;
                    case SocketIoPacketKind.Connect:
                        SocketId = SocketIoJson.ReadStringProperty(json, "sid"u8)
                            ?? throw new SocketIoException("The realtime server's connect packet has no sid.");
                        return;
                    case SocketIoPacketKind.ConnectError:
                        throw new SocketIoAuthRefusedException(SocketIoJson.ReadStringProperty(json, "message"u8) ?? "no reason given");
                    case SocketIoPacketKind.Close or SocketIoPacketKind.Disconnect:
                        throw new SocketIoException("The realtime server closed the connection during the handshake.");
                    case SocketIoPacketKind.Invalid:
                        throw new SocketIoException("The realtime server sent a packet that breaks the protocol during the handshake.");
                    default:
                        break;
                }
            }
        }
        catch (Exception e) when (e is not SocketIoException)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException("The realtime connection attempt was cancelled.", e, cancellationToken);
            }

            throw new SocketIoException(
                _handshakeTimedOut
                    ? $"The realtime handshake did not complete within {_options.HandshakeTimeout.TotalSeconds:0.###} s."
                    : e is JsonException
                        ? "The realtime server sent malformed JSON during the handshake."
                        : "The realtime connection failed during the handshake.",
                e);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        var end = new SocketIoDisconnect(SocketIoDisconnectReason.TransportClosed);
        try
        {
            while (true)
            {
                var (type, length) = await ReceiveMessageAsync().ConfigureAwait(false);
                if (type == WebSocketMessageType.Close)
                {
                    break;
                }

                if (type == WebSocketMessageType.Binary)
                {
                    continue;
                }

                var packet = SocketIoPacket.Parse(_receiveBuffer.AsSpan(0, length));
                var json = new ReadOnlyMemory<byte>(_receiveBuffer, packet.JsonStart, length - packet.JsonStart);
                switch (packet.Kind)
                {
                    case SocketIoPacketKind.Ping:
                        ArmDeadLinkTimer();
                        await SendFrameAsync(PongFrame, CancellationToken.None).ConfigureAwait(false);
                        break;
                    case SocketIoPacketKind.Event:
                        var name = SocketIoJson.ReadEventName(json.Span);
                        var received = new SocketIoEvent(name, PacketSlab.Copy(ref _slab, json.Span), _slab);
                        if (!_events.Writer.TryWrite(received) && !await WaitForRoomAsync(received).ConfigureAwait(false))
                        {
                            end = new SocketIoDisconnect(SocketIoDisconnectReason.EventBufferFull);
                            return;
                        }

                        if (packet.AckId >= 0)
                        {
                            // The server asked for an ack: Mudbase's events need no answer, so an empty one, at once.
                            await SendEventFrameAsync(0, static (w, _) =>
                            {
                                w.WriteStartArray();
                                w.WriteEndArray();
                            }, AckPrefix, packet.AckId, CancellationToken.None).ConfigureAwait(false);
                        }

                        break;
                    case SocketIoPacketKind.Ack:
                        SocketIoJson.CheckArray(json.Span);
                        if (_acks.TryRemove(packet.AckId, out var pending))
                        {
                            pending.TrySetResult(new SocketIoAck(json.ToArray()));
                        }

                        break;
                    case SocketIoPacketKind.Disconnect:
                        end = new SocketIoDisconnect(SocketIoDisconnectReason.ServerDisconnected);
                        return;
                    case SocketIoPacketKind.Close:
                        return;
                    case SocketIoPacketKind.Invalid or SocketIoPacketKind.Open or SocketIoPacketKind.ConnectError:
                        end = new SocketIoDisconnect(SocketIoDisconnectReason.ProtocolError,
                            new SocketIoException("The realtime server sent a packet that breaks the protocol."));
                        return;
                    default:
                        break; // pong, noop, connect again, binary, other namespaces
                }
            }
        }
        catch (MessageTooLargeException e)
        {
            end = new SocketIoDisconnect(SocketIoDisconnectReason.MessageTooLarge, e);
        }
        catch (JsonException e)
        {
            end = new SocketIoDisconnect(SocketIoDisconnectReason.ProtocolError, new SocketIoException("The realtime server sent malformed JSON.", e));
        }
        catch (Exception e)
        {
            end = new SocketIoDisconnect(SocketIoDisconnectReason.TransportError, e);
        }
        finally
        {
            // A reason set first (our close, the dead-link timer) wins over what the loop saw after it aborted.
            SetReason(end);
            _slab?.Release();
            await FinishAsync().ConfigureAwait(false);
        }
    }

    // A burst faster than the reader: wait for room as a plain socket reader would (TCP holds the server back
    // meanwhile), but for half the server's ping timeout at most, so that a ping behind the burst is still answered in
    // time. A reader stuck that long (a consumer that does not read, in Wait mode) ends the connection.
    private async ValueTask<bool> WaitForRoomAsync(SocketIoEvent received)
    {
        var patience = TimeSpan.FromTicks(Math.Min(Engine.PingTimeout.Ticks / 2, TimeSpan.FromDays(1).Ticks));
#if NETFRAMEWORK
        using var timeout = _options.TimeProvider.CreateCancellationTokenSource(patience);
#else
        using var timeout = new CancellationTokenSource(patience, _options.TimeProvider);
#endif
        try
        {
            await _events.Writer.WriteAsync(received, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task FinishAsync()
    {
        var reason = Volatile.Read(ref _reason)!;
        _deadLinkTimer?.Dispose();
        // Also on our own close: the server may close first (it does on 41), and its close frame, read here,
        // must be answered for the handshake to end Closed rather than Aborted.
        await CloseSocketAsync(reason.Reason switch
        {
            SocketIoDisconnectReason.MessageTooLarge => WebSocketCloseStatus.MessageTooBig,
            SocketIoDisconnectReason.ProtocolError => WebSocketCloseStatus.ProtocolError,
            _ => WebSocketCloseStatus.NormalClosure,
        }).ConfigureAwait(false);

        if (_socket.State != WebSocketState.Closed)
        {
            _socket.Abort();
        }

        _completion.TrySetResult(reason);
        _events.Writer.TryComplete();
        foreach (var id in _acks.Keys)
        {
            if (_acks.TryRemove(id, out var pending))
            {
                pending.TrySetException(new SocketIoDisconnectedException(reason));
            }
        }
    }

    private bool SetReason(SocketIoDisconnect reason) => Interlocked.CompareExchange(ref _reason, reason, null) is null;

    // Sends our close frame, bounded: a peer that never answers is aborted after CloseTimeout.
    private async Task CloseSocketAsync(WebSocketCloseStatus status)
    {
        if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timer = _options.TimeProvider.CreateTimer(static s => ((WebSocket)s!).Abort(), _socket, _options.CloseTimeout, Timeout.InfiniteTimeSpan);
        try
        {
            await _sendLock.WaitAsync().ConfigureAwait(false);
            try
            {
                // Our close and the receive loop's may both get here: the second finds the first's close sent.
                if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                {
                    await _socket.CloseOutputAsync(status, null, CancellationToken.None).ConfigureAwait(false);
                }
            }
            finally
            {
                _sendLock.Release();
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or IOException or InvalidOperationException)
        {
            // Already closed or aborted: nothing more to say to the peer.
        }
    }

    private void ArmDeadLinkTimer()
    {
        // A server's absurd values must not overflow the timer (its limit is about 49 days).
        var due = TimeSpan.FromTicks(Math.Min((Engine.PingInterval + Engine.PingTimeout).Ticks, TimeSpan.FromDays(1).Ticks));
        if (_deadLinkTimer is null)
        {
            _deadLinkTimer = _options.TimeProvider.CreateTimer(static state =>
            {
                var connection = (SocketIoConnection)state!;
                if (connection.SetReason(new SocketIoDisconnect(SocketIoDisconnectReason.PingTimeout)))
                {
                    connection._socket.Abort(); // ends the pending receive (trap 4: that is terminal, as a dead link is)
                }
            }, this, due, Timeout.InfiniteTimeSpan);
        }
        else
        {
            _deadLinkTimer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task<int> ReceiveTextAsync()
    {
        while (true)
        {
            var (type, length) = await ReceiveMessageAsync().ConfigureAwait(false);
            switch (type)
            {
                case WebSocketMessageType.Text:
                    return length;
                case WebSocketMessageType.Close:
                    throw new SocketIoException("The realtime server closed the WebSocket during the handshake.");
                default:
                    continue;
            }
        }
    }

    // One whole message, its fragments reassembled into _receiveBuffer (trap 6), at most MaxReceiveBytes.
    // A ValueTask over the Memory overload: a message already read by the socket completes without allocating.
    private async ValueTask<(WebSocketMessageType Type, int Length)> ReceiveMessageAsync()
    {
        var max = _options.MaxReceiveBytes;
        var total = 0;
        while (true)
        {
            if (total == _receiveBuffer.Length)
            {
                if (total > max)
                {
                    throw new MessageTooLargeException(max);
                }

                Array.Resize(ref _receiveBuffer, (int)Math.Min((long)total * 2, (long)max + 1));
            }

#if NETFRAMEWORK
            var result = await _socket.ReceiveAsync(new ArraySegment<byte>(_receiveBuffer, total, _receiveBuffer.Length - total), CancellationToken.None)
                .ConfigureAwait(false);
#else
            var result = await _socket.ReceiveAsync(_receiveBuffer.AsMemory(total), CancellationToken.None).ConfigureAwait(false);
#endif
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (WebSocketMessageType.Close, 0);
            }

            total += result.Count;
            if (total > max)
            {
                throw new MessageTooLargeException(max);
            }

            if (result.EndOfMessage)
            {
                return (result.MessageType, total);
            }
        }
    }

    private Task SendFrameAsync(byte[] frame, CancellationToken cancellationToken) =>
        SendEventFrameAsync(frame, static (_, _) => { }, frame, -1, cancellationToken, array: false);

    private Task SendEventAsync<TState>(string eventName, TState state, Action<Utf8JsonWriter, TState> writeArgument, int ackId, CancellationToken cancellationToken) =>
        SendEventFrameAsync((eventName, state, writeArgument), static (w, s) =>
        {
            w.WriteStringValue(s.eventName);
            s.writeArgument(w, s.state);
        }, EventPrefix, ackId, cancellationToken, array: true);

    // Writes prefix, ack id and JSON (inside [ ] when array) into the reused buffer and sends it as one text frame.
    private async Task SendEventFrameAsync<TState>(
        TState state, Action<Utf8JsonWriter, TState> writeJson, byte[] prefix, int ackId, CancellationToken cancellationToken, bool array = false)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_completion.Task.IsCompleted)
            {
                throw new SocketIoDisconnectedException(_completion.Task.Result);
            }

            _sendBuffer.SetLength(0);
            _sendBuffer.Write(prefix, 0, prefix.Length);
            if (ackId >= 0)
            {
                WriteDigits(_sendBuffer, ackId);
            }

            if (_writer is null)
            {
                _writer = new Utf8JsonWriter(_sendBuffer);
            }
            else
            {
                _writer.Reset(_sendBuffer);
            }

            if (array)
            {
                _writer.WriteStartArray();
            }

            writeJson(_writer, state);
            if (array)
            {
                _writer.WriteEndArray();
            }

            _writer.Flush();
            var length = _sendBuffer.Length;
            if (length > Engine.MaxPayload && Engine.MaxPayload > 0)
            {
                throw new SocketIoException($"The realtime message is {length} bytes; the server accepts at most {Engine.MaxPayload}.");
            }

            // Not cancellable: cancelling a WebSocket send aborts the socket, and the caller's token is not the link's.
            await _socket.SendAsync(new ArraySegment<byte>(_sendBuffer.GetBuffer(), 0, (int)length), WebSocketMessageType.Text, true, CancellationToken.None)
                .ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private static void WriteDigits(Stream stream, int value)
    {
        Span<byte> digits = stackalloc byte[10];
        var i = digits.Length;
        do
        {
            digits[--i] = (byte)('0' + value % 10);
            value /= 10;
        }
        while (value > 0);

        for (; i < digits.Length; i++)
        {
            stream.WriteByte(digits[i]);
        }
    }

    private sealed class MessageTooLargeException(int max)
        : SocketIoException($"The realtime server sent a message larger than {max} bytes.");
}
