using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mudbase.Tests.Support;

/// <summary>What a <see cref="RawTcpServer"/> does once it has read a whole request.</summary>
public enum RawBehaviour
{
    /// <summary>Closes the connection without a byte of answer.</summary>
    CloseWithoutAnswer,

    /// <summary>Resets the connection (linger 0: an RST instead of a FIN).</summary>
    Reset,

    /// <summary>Writes <see cref="RawTcpServer.Prefix"/> (may be empty) and then never writes or closes again.</summary>
    WriteThenStall,

    /// <summary>Writes <see cref="RawTcpServer.Prefix"/> (an answer's head and part of its body), then resets the connection.</summary>
    WriteThenReset,
}

/// <summary>
/// A bare TCP listener on 127.0.0.1 for the faults WireMock cannot produce: it reads each request (head and
/// Content-Length body), records it, then misbehaves as told. Counts connections and requests.
/// </summary>
internal sealed class RawTcpServer : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentBag<Socket> _open = [];
    private readonly Task _acceptLoop;
    private int _connections;

    public RawTcpServer(RawBehaviour behaviour, string prefix = "")
    {
        Behaviour = behaviour;
        Prefix = prefix;
        _listener.Start();
        Url = new Uri($"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/");
        _acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public RawBehaviour Behaviour { get; }

    /// <summary>The bytes written before stalling (for <see cref="RawBehaviour.WriteThenStall"/>).</summary>
    public string Prefix { get; }

    public Uri Url { get; }

    /// <summary>Connections accepted.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Whole requests received (request line, headers and body), in order of arrival.</summary>
    public IReadOnlyList<string> Requests => _requests.ToArray();

    /// <summary>A loopback URL on which nothing listens: connecting is refused.</summary>
    public static Uri UrlWithNothingListening()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return new Uri($"http://127.0.0.1:{port}/");
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _ = Task.Run(() => ServeAsync(socket));
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        try
        {
            var request = await ReadRequestAsync(socket);
            if (request is null)
            {
                socket.Dispose();
                return;
            }

            _requests.Enqueue(request);
            switch (Behaviour)
            {
                case RawBehaviour.CloseWithoutAnswer:
                    socket.Shutdown(SocketShutdown.Both);
                    socket.Close();
                    break;
                case RawBehaviour.Reset:
                    socket.LingerState = new LingerOption(true, 0);
                    socket.Close();
                    break;
                case RawBehaviour.WriteThenStall:
                    if (Prefix.Length > 0)
                    {
                        await socket.SendAsync(Encoding.UTF8.GetBytes(Prefix), SocketFlags.None, _stop.Token);
                    }

                    _open.Add(socket);
                    break;
                case RawBehaviour.WriteThenReset:
                    await socket.SendAsync(Encoding.UTF8.GetBytes(Prefix), SocketFlags.None, _stop.Token);
                    await Task.Delay(50, _stop.Token); // let the client read what was written before the reset
                    socket.LingerState = new LingerOption(true, 0);
                    socket.Close();
                    break;
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or OperationCanceledException or IOException)
        {
            socket.Dispose();
        }
    }

    private async Task<string?> ReadRequestAsync(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        var length = 0;
        var headEnd = -1;
        while (headEnd < 0)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, _stop.Token);
            if (read == 0)
            {
                return null;
            }

            length += read;
            headEnd = Encoding.ASCII.GetString(buffer, 0, length).IndexOf("\r\n\r\n", StringComparison.Ordinal);
        }

        var head = Encoding.ASCII.GetString(buffer, 0, headEnd);
        var contentLength = 0;
        foreach (var line in head.Split("\r\n"))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                contentLength = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        var total = headEnd + 4 + contentLength;
        while (length < total)
        {
            var read = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, _stop.Token);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        return Encoding.UTF8.GetString(buffer, 0, length);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _acceptLoop;
        foreach (var socket in _open)
        {
            socket.Dispose();
        }

        _stop.Dispose();
    }
}
