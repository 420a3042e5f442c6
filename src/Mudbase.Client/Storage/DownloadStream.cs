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
    private readonly string _what;
    private long _read;

    public DownloadStream(HttpResponseMessage response, Stream body, string what)
    {
        _response = response;
        _body = body;
        _what = what;
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
        new($"{_what} broke off after {_read}{(TotalBytes is { } total ? $" of {total}" : "")} bytes: {cause.Message} What was read is not the whole file.", cause);

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A download reads forward only.");

    public override void SetLength(long value) => throw new NotSupportedException("A download is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A download is read-only.");

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
