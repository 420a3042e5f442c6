using System.Security.Cryptography;
using Mudbase.Storage;
using Mudbase.Tests.Emulator;
using Mudbase.Tests.Support;

namespace Mudbase.Tests.Integration;

/// <summary>
/// 300 MB up and down through streams that hold nothing, against an emulator in its own process so that the managed
/// memory measured is the client's alone. Alone in its collection: the measure is of the whole process.
/// </summary>
[Collection(EmulatorLoadTests.Name)]
public sealed class StorageLargeTransferTests
{
    private const long Size = 300L * 1024 * 1024;
    private const long AllocationBudget = 16L * 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Three_hundred_megabytes_round_trip_with_equal_hashes_full_progress_and_under_16_MB_allocated()
    {
        await using var emulator = await EmulatorProcess.StartAsync(maxFileUploadBytes: Size + 1024 * 1024, Ct);
        using var server = new MudbaseClient(new MudbaseClientOptions { BaseUrl = emulator.BaseUrl, ProjectId = emulator.ProjectId, ApiKey = emulator.ApiKey });
        var bucket = await server.Storage.CreateBucketAsync(new CreateBucketRequest { Name = "large_" + Guid.NewGuid().ToString("N")[..8] }, Ct);
        var files = server.Storage.Bucket(bucket.Id);
        // Warm the paths (connection, JIT, pools) so that the measure is of the transfer, not of the first call.
        var warm = await files.UploadAsync(new GeneratedStream(1024), "warm.bin", cancellationToken: Ct);
        await files.DownloadToAsync(warm.Id, new HashingSink(), cancellationToken: Ct);
        var source = new GeneratedStream(Size);
        var sink = new HashingSink();
        var up = new LastProgress();
        var down = new LastProgress();

        var before = GC.GetTotalAllocatedBytes(precise: true);
        var stored = await files.UploadAsync(source, "large.bin", new UploadOptions { Progress = up }, Ct);
        await files.DownloadToAsync(stored.Id, sink, down, Ct);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        TestContext.Current.SendDiagnosticMessage($"300 MB up and down allocated {allocated:N0} bytes");

        Assert.Equal(Size, stored.Size);
        Assert.Equal(Size, sink.Length);
        Assert.Equal(source.Hash(), sink.Hash());
        Assert.Equal(Size, up.Last.BytesTransferred);
        Assert.Equal(Size, down.Last.BytesTransferred);
        Assert.Equal(Size, down.Last.TotalBytes);
        Assert.True(allocated < AllocationBudget, $"allocated {allocated:N0} bytes, over {AllocationBudget:N0}");
    }

    /// <summary>Non-seekable, no length: bytes made on the fly (a cheap deterministic sequence), hashed as they are read.</summary>
    private sealed class GeneratedStream(long length) : NonSeekableReadStream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _position;
        private uint _state = 2463534242;

        public byte[] Hash() => _hash.GetHashAndReset();

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var n = (int)Math.Min(buffer.Length, length - _position);
            var span = buffer[..n];
            for (var i = 0; i < span.Length; i++)
            {
                // xorshift32: varied bytes, so that a shifted or repeated block changes the hash.
                _state ^= _state << 13;
                _state ^= _state >> 17;
                _state ^= _state << 5;
                span[i] = (byte)_state;
            }

            _hash.AppendData(span);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

    }

    /// <summary>A destination that keeps nothing but the SHA-256 and the count of what was written.</summary>
    private sealed class HashingSink : Stream
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _length;

        public byte[] Hash() => _hash.GetHashAndReset();

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            _hash.AppendData(buffer);
            _length += buffer.Length;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Write(buffer.Span);
            return ValueTask.CompletedTask;
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            Write(buffer.AsSpan(offset, count));
            return Task.CompletedTask;
        }
    }

    /// <summary>Keeps the last report only, so that thousands of reports allocate nothing.</summary>
    private sealed class LastProgress : IProgress<TransferProgress>
    {
        public TransferProgress Last { get; private set; }

        public void Report(TransferProgress value) => Last = value;
    }
}
