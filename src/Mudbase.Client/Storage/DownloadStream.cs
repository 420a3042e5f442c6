using System.Net;

namespace Mudbase.Storage;

/// <summary>
/// A download's body as it arrives, read-only and forward-only. A connection that breaks in the middle, or a body that
/// ends before its <c>Content-Length</c>, is a <see cref="MudbaseTransportException"/>: a short file never reads as a whole
/// one. Disposing it releases the connection.
/// </summary>
internal sealed class DownloadStream : Stream
{
    private readonly HttpResponseMessage _response;
    private readonly Stream _body;
    private long _read;

    public DownloadStream(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _body = body;
        TotalBytes = response.Content.Headers.ContentLength;
    }

    /// <summary>The body's length, when the server said.</summary>
    public long? TotalBytes { get; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => TotalBytes ?? throw new NotSupportedException("The server did not say the download's length.");

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException("A download reads forward only.");
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int read;
        try
        {
            read = _body.Read(buffer, offset, count);
        }
        catch (Exception ex) when (IsBreak(ex))
        {
            throw Broke(ex);
        }

        return Counted(read);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadCoreAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

#if !NETFRAMEWORK
    // .NET's copy loops read through this overload; .NET Framework's Stream has no such member.
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ReadCoreAsync(buffer, cancellationToken);
#endif

#if NET
    // A read that waits for the network would otherwise allocate its frame anew each time: about 1,600 of them for 100 MB.
    [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder<>))]
#endif
    private async ValueTask<int> ReadCoreAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int read;
        try
        {
            read = await _body.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsBreak(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw Broke(ex);
        }

        return Counted(read);
    }

    /// <summary>
    /// The rest of the body into <paramref name="destination"/> through the body's own copy loop (for a socket, straight
    /// from the connection's buffer), so a download costs what copying the response stream by hand costs: no frame per
    /// chunk read through this stream. A break, or a body shorter than its length, is a <see cref="MudbaseTransportException"/>.
    /// </summary>
    public override Task CopyToAsync(Stream destination, int bufferSize, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destination);
        if (bufferSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(bufferSize), bufferSize, "bufferSize must be positive.");
        }

        return CopyToAsync(destination, bufferSize, transfer: null, cancellationToken);
    }

    /// <summary>As <see cref="CopyToAsync(Stream, int, CancellationToken)"/>, telling <paramref name="transfer"/> of each chunk written.</summary>
    public async Task CopyToAsync(Stream destination, int bufferSize, Http.Transfer? transfer, CancellationToken cancellationToken)
    {
        var sink = new CountingSink(this, destination, transfer);
        try
        {
            await _body.CopyToAsync(sink, bufferSize, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!sink.DestinationFailed && IsBreak(ex) && !cancellationToken.IsCancellationRequested)
        {
            throw Broke(ex);
        }

        Counted(0);
    }

    private int Counted(int read)
    {
        if (read == 0 && TotalBytes is { } total && _read < total)
        {
            throw Broke(new IOException($"The body ended after {_read} of its {total} bytes."));
        }

        _read += read;
        return read;
    }

    private static bool IsBreak(Exception exception) => exception is IOException or HttpRequestException or WebException;

    private MudbaseTransportException Broke(Exception cause) =>
        new($"GET {_response.RequestMessage?.RequestUri?.AbsolutePath} broke off after {_read}{(TotalBytes is { } total ? $" of {total}" : "")} bytes: {cause.Message} What was read is not the whole file.", cause);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A download reads forward only.");

    public override void SetLength(long value) => throw new NotSupportedException("A download is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A download is read-only.");

    /// <summary>
    /// Where the body's copy loop writes: the caller's destination, counting what it took. It tells the destination's own
    /// failures (a full disk) from the body's, which only are a broken download.
    /// </summary>
    private sealed class CountingSink(DownloadStream owner, Stream destination, Http.Transfer? transfer) : Stream
    {
        public bool DestinationFailed { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            try
            {
                destination.Write(buffer, offset, count);
            }
            catch
            {
                DestinationFailed = true;
                throw;
            }

            Written(count);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

#if NETFRAMEWORK
        // .NET Framework's Stream has no such member to override; its copy loop calls the array overload above.
        public ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
#else
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
#endif
        {
            ValueTask write;
            try
            {
                write = destination.WriteAsync(buffer, cancellationToken);
                if (write.IsCompletedSuccessfully)
                {
                    // A destination that took the bytes at once (Stream.Null, a MemoryStream): no frame at all.
                    write.GetAwaiter().GetResult();
                    Written(buffer.Length);
                    return default;
                }
            }
            catch
            {
                DestinationFailed = true;
                throw;
            }

            return AwaitWriteAsync(write, buffer.Length);
        }

#if NET
        [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
#endif
        private async ValueTask AwaitWriteAsync(ValueTask write, int count)
        {
            try
            {
                await write.ConfigureAwait(false);
            }
            catch
            {
                DestinationFailed = true;
                throw;
            }

            Written(count);
        }

        public override void Flush() => destination.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => destination.FlushAsync(cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        private void Written(int count)
        {
            owner._read += count;
            transfer?.Advance(count);
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _body.Dispose();
            _response.Dispose();
        }

        base.Dispose(disposing);
    }
}
