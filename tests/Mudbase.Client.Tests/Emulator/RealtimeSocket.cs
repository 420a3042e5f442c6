using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Mudbase.Emulator;

namespace Mudbase.Tests.Emulator;

/// <summary>A test class's own emulator, for realtime settings that are per emulator (ping timing, queue size).</summary>
public abstract class RealtimeEmulatorTests(MudbaseEmulatorOptions options) : IAsyncLifetime
{
    protected MudbaseEmulator Emulator { get; private set; } = null!;

    protected DataApi Api { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        options.EnableRateLimits = false;
        Emulator = await MudbaseEmulator.StartAsync(options, TestContext.Current.CancellationToken);
        Api = new DataApi(Emulator);
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Emulator.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

/// <summary>
/// A test's own Socket.IO client, written by hand over <see cref="ClientWebSocket"/>: it sends the frames a test
/// writes and records every frame the emulator sends, so that tests assert on the wire itself. It answers pings
/// unless told not to; every wait is bounded.
/// </summary>
public sealed class RealtimeSocket : IAsyncDisposable
{
    private static readonly TimeSpan DefaultWait = TimeSpan.FromSeconds(10);

    private readonly ClientWebSocket _socket = new();
    private readonly Channel<string> _frames = Channel.CreateUnbounded<string>();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private Task _receiving = Task.CompletedTask;
    private readonly TaskCompletionSource _readingStopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _ackIds;
    private int _pings;

    /// <summary>Whether the socket answers the server's pings (<c>2</c>) with pongs (<c>3</c>).</summary>
    public bool AnswerPings { get; set; } = true;

    /// <summary>How many pings the server has sent.</summary>
    public int Pings => Volatile.Read(ref _pings);

    /// <summary>Completes when the server closed or dropped the connection.</summary>
    public Task Closed => _receiving;

    public static Uri Endpoint(MudbaseEmulator emulator, string query = "EIO=4&transport=websocket") =>
        new UriBuilder(emulator.BaseUrl) { Scheme = "ws", Path = "/socket.io/", Query = query }.Uri;

    /// <summary>Opens the WebSocket; the open packet is the first recorded frame.</summary>
    public static async Task<RealtimeSocket> OpenAsync(MudbaseEmulator emulator, string? bearer = null, bool answerPings = true)
    {
        var socket = new RealtimeSocket { AnswerPings = answerPings };
        if (bearer is not null)
        {
            socket._socket.Options.SetRequestHeader("Authorization", "Bearer " + bearer);
        }

        using var timeout = new CancellationTokenSource(DefaultWait);
        await socket._socket.ConnectAsync(Endpoint(emulator), timeout.Token);
        socket._receiving = Task.Run(socket.ReceiveLoopAsync);
        return socket;
    }

    /// <summary>Opens, reads the open packet, sends <c>40{"token"}</c> and waits for <c>40{"sid"}</c>.</summary>
    public static async Task<RealtimeSocket> ConnectAsync(MudbaseEmulator emulator, string token, bool answerPings = true)
    {
        var socket = await OpenAsync(emulator, answerPings: answerPings);
        Assert.StartsWith("0{", await socket.NextAsync());
        await socket.SendAsync($$"""40{"token":"{{token}}"}""");
        Assert.StartsWith("40{\"sid\":", await socket.NextAsync());
        return socket;
    }

    public async Task SendAsync(string frame)
    {
        await _sendLock.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, TestContext.Current.CancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>Emits <c>42[name,argument]</c>, with an ack id when <paramref name="withAck"/>; returns the id.</summary>
    public async Task<int?> EmitAsync(string name, string argumentJson, bool withAck = true)
    {
        int? id = withAck ? Interlocked.Increment(ref _ackIds) : null;
        await SendAsync($"42{id}[\"{name}\",{argumentJson}]");
        return id;
    }

    /// <summary>The next frame other than a ping, or a failed test after <paramref name="wait"/>.</summary>
    public async Task<string> NextAsync(TimeSpan? wait = null)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(wait ?? DefaultWait);
        try
        {
            return await _frames.Reader.ReadAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"No frame from the emulator within {wait ?? DefaultWait}.");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException("The emulator closed the connection.");
        }
    }

    /// <summary>Skips frames until one is the event <paramref name="name"/>; returns its payload.</summary>
    public async Task<JsonElement> NextEventAsync(string name, TimeSpan? wait = null)
    {
        while (true)
        {
            var frame = await NextAsync(wait);
            if (Event(frame) is { } e && e.Name == name)
            {
                return e.Payload;
            }
        }
    }

    /// <summary>Skips frames until the ack <paramref name="id"/>; returns its arguments.</summary>
    public async Task<JsonElement> NextAckAsync(int? id)
    {
        var prefix = "43" + id;
        while (true)
        {
            var frame = await NextAsync();
            if (frame.StartsWith(prefix + "[", StringComparison.Ordinal))
            {
                return JsonDocument.Parse(frame[prefix.Length..]).RootElement.Clone();
            }
        }
    }

    /// <summary>Every event frame that arrives within <paramref name="window"/>.</summary>
    public async Task<List<(string Name, JsonElement Payload)>> EventsWithinAsync(TimeSpan window)
    {
        var events = new List<(string, JsonElement)>();
        var until = DateTime.UtcNow + window;
        while (DateTime.UtcNow < until)
        {
            try
            {
                if (Event(await NextAsync(until - DateTime.UtcNow)) is { } e)
                {
                    events.Add(e);
                }
            }
            catch (TimeoutException)
            {
                break;
            }
        }

        return events;
    }

    public static (string Name, JsonElement Payload)? Event(string frame)
    {
        if (!frame.StartsWith("42[", StringComparison.Ordinal))
        {
            return null;
        }

        var array = JsonDocument.Parse(frame[2..]).RootElement.Clone();
        return (array[0].GetString()!, array.GetArrayLength() > 1 ? array[1] : default);
    }

    /// <summary>Stops reading from the socket (after the frame being read), as a client too slow to keep up would.</summary>
    public void StopReading() => _readingStopped.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Abort();
        await _receiving;
        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                if (_readingStopped.Task.IsCompleted)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }

                var result = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                message.Write(buffer, 0, result.Count);
                if (!result.EndOfMessage)
                {
                    continue;
                }

                var frame = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
                message.SetLength(0);
                if (frame == "2")
                {
                    Interlocked.Increment(ref _pings);
                    if (AnswerPings)
                    {
                        await SendAsync("3");
                    }

                    continue;
                }

                _frames.Writer.TryWrite(frame);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // Closed or dropped: Closed completes.
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }
}
