using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;

namespace Mudbase.Benchmarks;

/// <summary>
/// A loopback server that speaks just enough HTTP/1.1, WebSocket, Engine.IO 4 and Socket.IO 5 for a collection watch,
/// written on a bare <see cref="Socket"/> so that it costs almost nothing per event: the anonymous sign-in and the
/// watch's state fetch (an empty page) over REST; over the WebSocket the open packet, <c>40{sid}</c>, the ack of
/// <c>subscribe:collection</c>, a ping every 25 s, and bursts of <c>42["db:update",…]</c> frames that were encoded
/// (WebSocket header included) before the run and are written many to a <c>send</c>, so that the client, not the
/// server, is what the run measures.
/// </summary>
public sealed class FakeRealtimeServer : IAsyncDisposable
{
    public const string CollectionId = "6650c2f1a1b2c3d4e5f6c001";
    public const string CollectionName = "todos";

    private static readonly byte[] EmptyPage = """{"data":[],"pagination":{"page":1,"limit":100,"total":0,"totalPages":0,"hasMore":false}}"""u8.ToArray();
    private static readonly byte[] NotFound = """{"message":"Not found"}"""u8.ToArray();

    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private readonly System.Threading.Channels.Channel<FakeRealtimeConnection> _connections =
        System.Threading.Channels.Channel.CreateUnbounded<FakeRealtimeConnection>();

    public FakeRealtimeServer(EventRing ring)
    {
        Ring = ring;
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(64);
        BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndPoint!).Port}/");
        _accepting = Task.Run(AcceptLoopAsync);
    }

    public Uri BaseUrl { get; }

    public EventRing Ring { get; }

    /// <summary>How many state fetches (list calls) were answered.</summary>
    public int ListCalls => Volatile.Read(ref _listCalls);

    private int _listCalls;

    /// <summary>The next Socket.IO connection whose client subscribed to the collection.</summary>
    public ValueTask<FakeRealtimeConnection> NextSubscribedAsync(CancellationToken cancellationToken) => _connections.Reader.ReadAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _accepting;
        }
        catch (Exception e) when (e is ObjectDisposedException or SocketException or OperationCanceledException)
        {
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var socket = await _listener.AcceptAsync(_stop.Token);
            socket.NoDelay = true;
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: true);
        var buffer = new byte[16 * 1024];
        var filled = 0;
        try
        {
            while (true)
            {
                int headEnd;
                while ((headEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
                {
                    var read = await stream.ReadAsync(buffer.AsMemory(filled), _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    filled += read;
                }

                var lines = Encoding.ASCII.GetString(buffer, 0, headEnd).Split("\r\n");
                var requestLine = lines[0].Split(' ');
                var (method, target) = (requestLine[0], requestLine[1]);
                var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
                    .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
                var bodyLength = headers.TryGetValue("Content-Length", out var cl) ? int.Parse(cl, System.Globalization.CultureInfo.InvariantCulture) : 0;
                var consumed = headEnd + 4;
                while (filled - consumed < bodyLength)
                {
                    var read = await stream.ReadAsync(buffer.AsMemory(filled), _stop.Token);
                    if (read == 0)
                    {
                        return;
                    }

                    filled += read;
                }

                consumed += bodyLength;
                Buffer.BlockCopy(buffer, consumed, buffer, 0, filled - consumed);
                filled -= consumed;

                if (target.StartsWith("/socket.io/", StringComparison.Ordinal) && headers.TryGetValue("Sec-WebSocket-Key", out var key))
                {
#pragma warning disable CA5350 // RFC 6455 fixes SHA-1 for the handshake's accept key; nothing secret here
                    var accept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
#pragma warning restore CA5350
                    await stream.WriteAsync(Encoding.ASCII.GetBytes(
                        $"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: {accept}\r\n\r\n"), _stop.Token);
                    var connection = new FakeRealtimeConnection(stream, Ring, _connections.Writer, _stop.Token);
                    await connection.RunAsync();
                    return;
                }

                var (status, body) = (method, target) switch
                {
                    ("POST", "/api/auth/anonymous") => ("200 OK", Payloads.AnonymousAnswer),
                    ("GET", _) when target.Contains("/collections/" + CollectionName + "/data?", StringComparison.Ordinal) => ("200 OK", ListAnswer()),
                    _ => ("404 Not Found", NotFound),
                };
                await stream.WriteAsync(Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 {status}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {body.Length}\r\n\r\n"), _stop.Token);
                await stream.WriteAsync(body, _stop.Token);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or WebSocketException)
        {
            // The client went away, or the server stops.
        }
    }

    private byte[] ListAnswer()
    {
        Interlocked.Increment(ref _listCalls);
        return EmptyPage;
    }
}

/// <summary>
/// The <c>db:update</c> frames a run sends, WebSocket headers included, back to back in one array: frame j updates
/// document j mod D to version (j / D) mod 2, so that every event changes its document (a watch does not yield an event
/// that repeats what it holds) and the set of documents, hence the watch's state, stays the same size however long the run.
/// </summary>
public sealed class EventRing
{
    public EventRing(int documents)
    {
        var frames = new List<byte[]>();
        for (var j = 0; j < 2 * documents; j++)
        {
            frames.Add(FakeRealtimeConnection.EncodeFrame(RealtimeBench.UpdateFrame(j % documents, j / documents, j)));
        }

        Bytes = frames.SelectMany(f => f).ToArray();
        Offsets = new int[frames.Count + 1];
        for (var i = 0; i < frames.Count; i++)
        {
            Offsets[i + 1] = Offsets[i] + frames[i].Length;
        }

        PayloadBytes = RealtimeBench.UpdateFrame(0, 0, 0).Length;
    }

    public byte[] Bytes { get; }

    /// <summary>Where each frame starts in <see cref="Bytes"/> (and, last, its length).</summary>
    public int[] Offsets { get; }

    public int Count => Offsets.Length - 1;

    /// <summary>The first frame's Socket.IO text, in bytes (the others differ by a digit or two).</summary>
    public int PayloadBytes { get; }
}

/// <summary>The server's side of one Socket.IO connection.</summary>
public sealed class FakeRealtimeConnection
{
    private static readonly byte[] Ping = EncodeFrame("2"u8.ToArray());
    private readonly NetworkStream _stream;
    private readonly EventRing _ring;
    private readonly System.Threading.Channels.ChannelWriter<FakeRealtimeConnection> _subscribed;
    private readonly CancellationToken _stop;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private int _cursor;

    public FakeRealtimeConnection(NetworkStream stream, EventRing ring, System.Threading.Channels.ChannelWriter<FakeRealtimeConnection> subscribed, CancellationToken stop)
    {
        _stream = stream;
        _ring = ring;
        _subscribed = subscribed;
        _stop = stop;
    }

    /// <summary>Frames sent so far.</summary>
    public long Sent { get; private set; }

    /// <summary>A server text frame: FIN + text, the length, the payload (a server does not mask).</summary>
    public static byte[] EncodeFrame(ReadOnlySpan<byte> payload)
    {
        var header = payload.Length < 126 ? 2 : payload.Length < 65536 ? 4 : 10;
        var frame = new byte[header + payload.Length];
        frame[0] = 0x81;
        if (header == 2)
        {
            frame[1] = (byte)payload.Length;
        }
        else if (header == 4)
        {
            frame[1] = 126;
            frame[2] = (byte)(payload.Length >> 8);
            frame[3] = (byte)payload.Length;
        }
        else
        {
            frame[1] = 127;
            for (var i = 0; i < 8; i++)
            {
                frame[9 - i] = (byte)((long)payload.Length >> (8 * i));
            }
        }

        payload.CopyTo(frame.AsSpan(header));
        return frame;
    }

    /// <summary>
    /// Sends <paramref name="count"/> events, at most <paramref name="window"/> ahead of what the consumer has seen
    /// (<paramref name="consumed"/>; <paramref name="progress"/> is released as it moves), in writes of up to 64 KB.
    /// Without a window (0) they are written as fast as the socket takes them. False when the client closed the connection.
    /// </summary>
    public async Task<bool> SendEventsAsync(long count, int window, Func<long> consumed, SemaphoreSlim? progress)
    {
        var target = Sent + count;
        var startConsumed = consumed();
        var startSent = Sent;
        while (Sent < target)
        {
            var allowed = target - Sent;
            if (window > 0)
            {
                while ((Sent - startSent) - (consumed() - startConsumed) >= window)
                {
                    if (!await progress!.WaitAsync(TimeSpan.FromSeconds(30), _stop))
                    {
                        throw new TimeoutException($"The consumer saw nothing for 30 s: {Sent - startSent} of {count} events sent, {consumed() - startConsumed} seen.");
                    }
                }

                allowed = Math.Min(allowed, window - ((Sent - startSent) - (consumed() - startConsumed)));
            }

            // Consecutive frames from the cursor, up to 64 KB, not past the ring's end.
            var first = _cursor;
            var last = first;
            while (last < _ring.Count && last - first < allowed && _ring.Offsets[last + 1] - _ring.Offsets[first] <= 64 * 1024)
            {
                last++;
            }

            await _sendLock.WaitAsync(_stop);
            try
            {
                await _stream.WriteAsync(_ring.Bytes.AsMemory(_ring.Offsets[first], _ring.Offsets[last] - _ring.Offsets[first]), _stop);
            }
            catch (IOException)
            {
                return false; // the client closed the connection
            }
            finally
            {
                _sendLock.Release();
            }

            Sent += last - first;
            _cursor = last == _ring.Count ? 0 : last;
        }

        return true;
    }

    public async Task RunAsync()
    {
        using var socket = WebSocket.CreateFromStream(_stream, new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
        await SendAsync("""0{"sid":"benchEngineSid","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}"""u8.ToArray());
        using var pinging = CancellationTokenSource.CreateLinkedTokenSource(_stop);
        var pings = PingLoopAsync(pinging.Token);
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer.AsMemory(length), _stop);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var text = buffer.AsSpan(0, length);
                if (text.StartsWith("40"u8))
                {
                    await SendAsync("""40{"sid":"benchSocketSid"}"""u8.ToArray());
                }
                else if (text.StartsWith("41"u8))
                {
                    return;
                }
                else if (text.StartsWith("42"u8))
                {
                    var digits = 2;
                    while (digits < text.Length && char.IsAsciiDigit((char)text[digits]))
                    {
                        digits++;
                    }

                    var ackId = Encoding.ASCII.GetString(text[2..digits]);
                    var subscribe = text[digits..].StartsWith("[\"subscribe:collection\""u8);
                    if (ackId.Length > 0)
                    {
                        await SendAsync(Encoding.UTF8.GetBytes(subscribe
                            ? $$"""43{{ackId}}[{"type":"collection","id":"{{FakeRealtimeServer.CollectionId}}","projectId":"{{Payloads.ProjectId}}"}]"""
                            : $"43{ackId}[]"));
                    }

                    if (subscribe)
                    {
                        _subscribed.TryWrite(this);
                    }
                }
            }
        }
        finally
        {
            await pinging.CancelAsync();
            try
            {
                await pings;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task PingLoopAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(25), cancellationToken);
            await SendFrameAsync(Ping, cancellationToken);
        }
    }

    private Task SendAsync(byte[] payload) => SendFrameAsync(EncodeFrame(payload), _stop);

    private async Task SendFrameAsync(byte[] frame, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _stream.WriteAsync(frame, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }
}
