using Microsoft.AspNetCore.Http.Features;

namespace Mudbase.Emulator.Chaos;

/// <summary>
/// The fault <see cref="ChaosFault.ResetDuringDownload"/>: the endpoint runs and streams its answer as usual, through a
/// body that lets the status, the headers (a <c>Content-Length</c> of the whole file among them) and the first half of
/// the bytes go out, then closes the connection. Nothing is buffered, so a download of any size can be cut. An answer
/// without a length (an error body) or with none to cut (an empty file) goes out whole.
/// </summary>
internal static class CutDownload
{
    public static async Task RunAsync(HttpContext context, RequestDelegate next)
    {
        var wire = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        var cut = new CuttingStream(wire.Stream, context);
        var body = new StreamResponseBodyFeature(cut, wire);
        context.Features.Set<IHttpResponseBodyFeature>(body);
        try
        {
            await next(context).ConfigureAwait(false);
            // What went through Response.BodyWriter is held until completed.
            await body.CompleteAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cut.IsCut)
        {
            // The endpoint's write that crossed the cut: the connection is closed, as intended.
        }
        finally
        {
            context.Features.Set(wire);
        }
    }

    /// <summary>Passes writes through until half the announced length, then flushes, closes the connection and fails the write.</summary>
    private sealed class CuttingStream(Stream inner, HttpContext context) : Stream
    {
        private long _written;
        private long? _cutAt;

        public bool IsCut { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            // Decided at the first write, once the endpoint has set its headers.
            _cutAt ??= context.Response.ContentLength is > 0 and var length ? length / 2 : long.MaxValue;
            var room = _cutAt.Value - _written;
            if (buffer.Length <= room)
            {
                await inner.WriteAsync(buffer, cancellationToken).ConfigureAwait(false);
                _written += buffer.Length;
                return;
            }

            await inner.WriteAsync(buffer[..(int)room], cancellationToken).ConfigureAwait(false);
            _written += room;
            IsCut = true;
            await ChaosMiddleware.CloseAfterFlushAsync(context, inner).ConfigureAwait(false);
            throw new OperationCanceledException("Chaos cut the download here.", context.RequestAborted);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

        // Kestrel refuses synchronous I/O, and so does this.
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush() => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
