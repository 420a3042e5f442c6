using System.Collections.Concurrent;
using System.Text;
using Mudbase.Storage;

namespace Mudbase.Tests.Support;

/// <summary>A stream that cannot seek (as a network stream or a pipe), over bytes in memory; counts what was read.</summary>
internal sealed class NonSeekableStream(byte[] bytes, TimeSpan? delayPerRead = null) : Stream
{
    private readonly MemoryStream _inner = new(bytes);
    private long _read;

    public long BytesRead => Interlocked.Read(ref _read);

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = _inner.Read(buffer, offset, count);
        Interlocked.Add(ref _read, n);
        return n;
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (delayPerRead is { } delay)
        {
            await Task.Delay(delay, cancellationToken);
        }

        var n = _inner.Read(buffer.Span);
        Interlocked.Add(ref _read, n);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>Records every progress report at once, on the reporting thread (Progress&lt;T&gt; would post them later).</summary>
internal sealed class ProgressLog : IProgress<TransferProgress>
{
    private readonly ConcurrentQueue<TransferProgress> _reports = new();
    private readonly TaskCompletionSource _first = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<TransferProgress> Reports => _reports.ToArray();

    public Task FirstReport => _first.Task;

    public void Report(TransferProgress value)
    {
        _reports.Enqueue(value);
        _first.TrySetResult();
    }
}

/// <summary>One part of a multipart body as it crossed the wire.</summary>
internal sealed record MultipartPart(IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;

    public string Text => Encoding.UTF8.GetString(Body);
}

/// <summary>Splits a multipart body by the boundary its Content-Type names, byte for byte.</summary>
internal static class Multipart
{
    public static IReadOnlyList<MultipartPart> Parse(string contentType, byte[] body)
    {
        var boundary = contentType.Split(';').Select(p => p.Trim()).Single(p => p.StartsWith("boundary=", StringComparison.Ordinal))["boundary=".Length..].Trim('"');
        var delimiter = Encoding.ASCII.GetBytes("--" + boundary);
        var parts = new List<MultipartPart>();
        var position = IndexOf(body, delimiter, 0) + delimiter.Length;
        while (true)
        {
            if (body[position] == '-' && body[position + 1] == '-')
            {
                return parts; // the closing delimiter
            }

            position += 2; // CRLF after the delimiter
            var headEnd = IndexOf(body, "\r\n\r\n"u8.ToArray(), position);
            var headers = Encoding.UTF8.GetString(body, position, headEnd - position).Split("\r\n")
                .Select(line => line.Split(':', 2))
                .ToDictionary(pair => pair[0].Trim().ToLowerInvariant(), pair => pair[1].Trim());
            var start = headEnd + 4;
            var next = IndexOf(body, delimiter, start);
            parts.Add(new MultipartPart(headers, body[start..(next - 2)]));
            position = next + delimiter.Length;
        }
    }

    private static int IndexOf(byte[] haystack, byte[] needle, int from)
    {
        var at = haystack.AsSpan(from).IndexOf(needle);
        return at < 0 ? throw new FormatException("Not a multipart body: a delimiter is missing.") : from + at;
    }
}

/// <summary>Sends requests for some paths to another server (the rest where they were going), over real sockets.</summary>
internal sealed class RoutingHandler(Func<string, Uri?> route) : DelegatingHandler(new SocketsHttpHandler { AllowAutoRedirect = false })
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (route(request.RequestUri!.AbsolutePath) is { } target)
        {
            request.RequestUri = new UriBuilder(request.RequestUri) { Host = target.Host, Port = target.Port }.Uri;
        }

        return base.SendAsync(request, cancellationToken);
    }
}
