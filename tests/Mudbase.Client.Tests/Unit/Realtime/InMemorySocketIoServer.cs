using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Text;
using Mudbase.Realtime.Protocol;

namespace Mudbase.Tests.Unit.Realtime;

/// <summary>
/// The server end of an in-memory WebSocket pair: two <see cref="WebSocket.CreateFromStream(Stream, WebSocketCreationOptions)"/>
/// sockets (the runtime's RFC 6455 implementation, framing and masking included) over two pipes, no network. A test
/// scripts the server's frames and reads what the client put on the wire.
/// </summary>
internal sealed class InMemorySocketIoServer : IAsyncDisposable
{
    public const string OpenPacket = """0{"sid":"engine-1","upgrades":[],"pingInterval":25000,"pingTimeout":20000,"maxPayload":1000000}""";

    private readonly WebSocket _client;
    private readonly WebSocket _server;
    private int _connects;

    public InMemorySocketIoServer()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        _client = WebSocket.CreateFromStream(new DuplexStream(toClient.Reader, toServer.Writer), new WebSocketCreationOptions { IsServer = false, KeepAliveInterval = TimeSpan.Zero });
        _server = WebSocket.CreateFromStream(new DuplexStream(toServer.Reader, toClient.Writer), new WebSocketCreationOptions { IsServer = true, KeepAliveInterval = TimeSpan.Zero });
    }

    /// <summary>The URI the client asked for.</summary>
    public Uri? RequestedUri { get; private set; }

    /// <summary>How many times the client opened the socket.</summary>
    public int Connects => _connects;

    public WebSocket ServerSocket => _server;

    /// <summary>The client's end, for a factory that hands out one pair per connection attempt.</summary>
    public WebSocket ClientSocket => _client;

    public SocketIoConnectionOptions Options(TimeProvider? timeProvider = null) => new()
    {
        TimeProvider = timeProvider ?? TimeProvider.System,
        WebSocketFactory = (uri, _) =>
        {
            RequestedUri = uri;
            Interlocked.Increment(ref _connects);
            return Task.FromResult(_client);
        },
    };

    public Task SendAsync(string text) => SendFragmentsAsync(text);

    /// <summary>One text message split into WebSocket frames, one per part (EndOfMessage only on the last).</summary>
    public async Task SendFragmentsAsync(params string[] parts)
    {
        for (var i = 0; i < parts.Length; i++)
        {
            await _server.SendAsync(Encoding.UTF8.GetBytes(parts[i]), WebSocketMessageType.Text, i == parts.Length - 1, CancellationToken.None);
        }
    }

    public Task SendBinaryAsync(byte[] data) => _server.SendAsync(data, WebSocketMessageType.Binary, true, CancellationToken.None);

    /// <summary>The client's next message (text), or "&lt;close&gt;" for its close frame; at most 10 s of real time.</summary>
    public async Task<string> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var buffer = new byte[64 * 1024];
        var total = 0;
        while (true)
        {
            var result = await _server.ReceiveAsync(buffer.AsMemory(total), timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return "<close>";
            }

            total += result.Count;
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(buffer, 0, total);
            }
        }
    }

    /// <summary>Runs the handshake as the server: open, reads <c>40{auth}</c>, answers <c>40{sid}</c>; returns the connection and the auth frame.</summary>
    public async Task<(SocketIoConnection Connection, string AuthFrame)> ConnectAsync(
        SocketIoConnectionOptions? options = null, string? token = "jwt-1", string openPacket = OpenPacket)
    {
        var connecting = SocketIoConnection.ConnectAsync(new Uri("http://127.0.0.1:9999"), _ => new ValueTask<string?>(token), options ?? Options(), CancellationToken.None);
        await SendAsync(openPacket);
        var auth = await ReceiveAsync();
        await SendAsync("""40{"sid":"socket-1"}""");
        return (await connecting, auth);
    }

    public ValueTask DisposeAsync()
    {
        _client.Dispose();
        _server.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Reads one pipe, writes the other.</summary>
    private sealed class DuplexStream(PipeReader reader, PipeWriter writer) : Stream
    {
        private readonly Stream _in = reader.AsStream();
        private readonly Stream _out = writer.AsStream();

        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _in.Read(buffer, offset, count);

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => _in.ReadAsync(buffer, cancellationToken);

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _in.ReadAsync(buffer, offset, count, cancellationToken);

        public override void Write(byte[] buffer, int offset, int count) => _out.Write(buffer, offset, count);

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => _out.WriteAsync(buffer, cancellationToken);

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => _out.WriteAsync(buffer, offset, count, cancellationToken);

        public override void Flush() => _out.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => _out.FlushAsync(cancellationToken);

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                // Ends a read in progress (an aborted WebSocket disposes its stream; the read must not hang).
                reader.CancelPendingRead();
                writer.Complete();
            }

            base.Dispose(disposing);
        }
    }
}
