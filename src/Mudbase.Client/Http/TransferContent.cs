using System.Buffers;
using Mudbase.Storage;

namespace Mudbase.Http;

/// <summary>
/// The state one upload's parts share: the caller's progress and cancellation, and the attempt's timeout, which each chunk
/// written re-arms (so a large body is not cut off by a timeout meant for an answer, and a stalled one still is).
/// </summary>
internal sealed class Transfer
{
    /// <summary>Progress is told at most once per chunk written, and only once this many more bytes have gone (then at the end).</summary>
    internal const int ReportBytes = 64 * 1024;

    /// <summary>
    /// The copy buffer asked of the pool, all of which is used, as <see cref="Stream.CopyToAsync(Stream)"/> does (the pool
    /// gives 128 KB): an upload is written in the pieces a <c>StreamContent</c> writes, so no more of its writes wait on the
    /// socket, each of which costs the transport an allocation.
    /// </summary>
    private const int CopyBufferBytes = 81920;

    private readonly IProgress<TransferProgress>? _progress;
    private readonly CancellationToken _cancellationToken;
    private CancellationTokenSource? _watchdog;
    private TimeSpan _idleTimeout;
    private long _transferred;
    private long _reported = -1;

    public Transfer(long? totalBytes, IProgress<TransferProgress>? progress, CancellationToken cancellationToken)
    {
        TotalBytes = totalBytes;
        _progress = progress;
        _cancellationToken = cancellationToken;
    }

    public long? TotalBytes { get; }

    /// <summary>The bytes written so far by this attempt.</summary>
    public long Transferred => Volatile.Read(ref _transferred);

    /// <summary>The retry handler hands over each attempt's timeout source while the attempt runs.</summary>
    public void Watch(CancellationTokenSource? attemptTimeout, TimeSpan idleTimeout)
    {
        _idleTimeout = idleTimeout;
        Volatile.Write(ref _watchdog, attemptTimeout);
    }

    public void Unwatch() => Volatile.Write(ref _watchdog, null);

    /// <summary>
    /// Copies one part's bytes, reporting progress as they leave. With <paramref name="expected"/> (a length declared for a
    /// stream that cannot seek), a stream that gives fewer or more bytes fails the copy before any byte beyond it is written.
    /// </summary>
    public async Task CopyAsync(Stream source, Stream destination, long? expected = null)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferBytes);
        var copied = 0L;
        try
        {
            while (true)
            {
                // With a length to keep, one byte more than is left is asked for: getting it means the stream goes on.
                var room = expected is { } total ? (int)Math.Min(buffer.Length, total - copied + 1) : buffer.Length;
                var read = await source.ReadAsync(buffer.AsMemory(0, room), _cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    if (expected is { } length && copied != length)
                    {
                        throw new ContentLengthMismatchException($"The stream ended after {copied} bytes, but options.ContentLength says {length}: nothing was stored.");
                    }

                    return;
                }

                if (expected is { } limit && copied + read > limit)
                {
                    throw new ContentLengthMismatchException($"The stream holds more than the {limit} bytes options.ContentLength says: nothing was stored.");
                }

                await destination.WriteAsync(buffer.AsMemory(0, read), _cancellationToken).ConfigureAwait(false);
                copied += read;
                Advance(read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The whole body has left: the total is reported (once, even for an empty body), and the answer gets a full timeout.</summary>
    public void Complete()
    {
        Rearm();
        if (Volatile.Read(ref _reported) != _transferred)
        {
            Report();
        }
    }

    /// <summary>An attempt sends the body again from its start.</summary>
    public void Restart()
    {
        Volatile.Write(ref _transferred, 0);
        Volatile.Write(ref _reported, -1);
    }

    /// <summary><paramref name="bytes"/> more have been written: the timeout is re-armed, and progress told every chunk or so.</summary>
    public void Advance(int bytes)
    {
        _transferred += bytes;
        Rearm();
        if (_transferred - Math.Max(0, _reported) >= ReportBytes)
        {
            Report();
        }
    }

    private void Report()
    {
        _reported = _transferred;
        _progress?.Report(new TransferProgress(_transferred, TotalBytes));
    }

    private void Rearm()
    {
        try
        {
            Volatile.Read(ref _watchdog)?.CancelAfter(_idleTimeout);
        }
        catch (ObjectDisposedException)
        {
            // The attempt has ended (an early answer) while the last chunk was still being written.
        }
    }
}

/// <summary>
/// One file's bytes, read from the caller's stream as they are sent: never copied whole into memory. The caller's stream
/// is not disposed here (the caller owns it). A seekable stream is rewound when the body is sent again; a stream that
/// cannot seek can be sent once.
/// </summary>
internal sealed class StreamPart : HttpContent
{
    internal const string NotRewindable =
        "The upload's stream cannot be rewound (CanSeek is false) and part of it has already been sent, so the request cannot be sent again.";

    private readonly Stream _source;
    private readonly Transfer _transfer;
    private readonly long _start;
    private readonly long? _declared;
    private int _started;

    /// <param name="source">The caller's stream.</param>
    /// <param name="transfer">The upload's shared state.</param>
    /// <param name="declaredLength">The length the caller declared for a stream that cannot seek, which the copy then holds it to.</param>
    public StreamPart(Stream source, Transfer transfer, long? declaredLength = null)
    {
        _source = source;
        _transfer = transfer;
        _start = source.CanSeek ? source.Position : 0;
        _declared = source.CanSeek ? null : declaredLength;
    }

    /// <summary>The bytes from the stream's position to its end, when the stream knows its length (or its caller declared it).</summary>
    public long? Length => _source.CanSeek ? Math.Max(0, _source.Length - _start) : _declared;

    /// <summary>Whether the body can be sent (again): not read yet, or rewindable.</summary>
    public bool CanResend => Volatile.Read(ref _started) == 0 || _source.CanSeek;

    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
    {
        if (Interlocked.Exchange(ref _started, 1) == 1)
        {
            if (!_source.CanSeek)
            {
                throw new InvalidOperationException(NotRewindable);
            }

            _source.Position = _start;
        }

        return _transfer.CopyAsync(_source, stream, _declared);
    }

    protected override bool TryComputeLength(out long length)
    {
        length = Length ?? 0;
        return Length.HasValue;
    }
}

/// <summary>
/// An upload's request body: a multipart form of <see cref="StreamPart"/>s, or one part alone (a direct upload's PUT).
/// The retry handler asks it whether it can be re-sent and hands it each attempt's timeout; the session handler keeps
/// the client's credentials off one bound for a presigned URL (<see cref="Offsite"/>).
/// </summary>
internal sealed class TransferContent : HttpContent
{
    private readonly HttpContent _inner;
    private readonly StreamPart[] _parts;
    private int _sends;

    public TransferContent(HttpContent inner, StreamPart[] parts, Transfer transfer, bool offsite)
    {
        _inner = inner;
        _parts = parts;
        Transfer = transfer;
        Offsite = offsite;
        Headers.ContentType = inner.Headers.ContentType;
    }

    public Transfer Transfer { get; }

    /// <summary>Sent to a presigned URL, which carries its own authorization: neither the API key nor a token goes with it.</summary>
    public bool Offsite { get; }

    /// <summary>Whether every part can be sent (again).</summary>
    public bool CanResend
    {
        get
        {
            foreach (var part in _parts)
            {
                if (!part.CanResend)
                {
                    return false;
                }
            }

            return true;
        }
    }

    protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
    {
        if (Interlocked.Increment(ref _sends) > 1)
        {
            Transfer.Restart();
        }

        await _inner.CopyToAsync(stream, context).ConfigureAwait(false);
        Transfer.Complete();
    }

    protected override bool TryComputeLength(out long length)
    {
        var known = _inner.Headers.ContentLength;
        length = known ?? 0;
        return known.HasValue;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>A stream that cannot seek gave fewer or more bytes than its caller declared (<see cref="UploadOptions.ContentLength"/>).</summary>
internal sealed class ContentLengthMismatchException(string message) : IOException(message);
