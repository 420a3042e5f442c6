using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using Mudbase.Emulator;

namespace Mudbase.Tests.Emulator;

/// <summary>
/// Large files stream through the emulator in constant memory and sit on disk, in a folder deleted when it stops;
/// the 50 MiB default limit; the uploads rate limit. They run alone: they load the machine and measure allocations.
/// </summary>
[Collection(EmulatorLoadTests.Name)]
public sealed class StorageLoadTests
{
    private const int Megabyte = 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_file_of_120_MB_from_a_non_seekable_stream_goes_up_and_down_intact_without_being_held_in_memory()
    {
        const long Size = 120L * Megabyte;
        await using var emulator = await MudbaseEmulator.StartAsync(new MudbaseEmulatorOptions { EnableRateLimits = false, MaxFileUploadBytes = Size }, Ct);
        using var api = new StorageApi(emulator);
        var bucket = emulator.FindBucketId()!;
        using var source = new GeneratedStream(Size, seed: 42);
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);

        using var content = new MultipartFormDataContent { { new StreamContent(source, 64 * 1024), "files", "big.bin" } };
        var upload = await api.UploadAsync(bucket, api.Key(), content);
        var fileId = upload.Json.GetProperty("files")[0].GetProperty("id").GetString()!;
        var url = await api.SignAsync(bucket, fileId);
        using var response = await api.Http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, Ct);
        byte[] downloaded;
        await using (var body = await response.Content.ReadAsStreamAsync(Ct))
        {
            downloaded = await SHA256.HashDataAsync(body, Ct);
        }

        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Assert.Equal(HttpStatusCode.Created, upload.Status);
        Assert.Equal(Size, upload.Json.GetProperty("files")[0].GetProperty("size").GetInt64());
        Assert.Equal(Size, response.Content.Headers.ContentLength);
        Assert.Equal(source.Hash, downloaded);
        // Client and emulator together, in this process: a file held whole anywhere would be 120 MB at least.
        Assert.True(allocated < 24 * Megabyte, $"allocated {allocated / Megabyte} MB");
    }

    [Fact]
    public async Task The_default_limit_is_50_MiB_a_byte_more_is_413_and_the_client_gets_the_answer()
    {
        await using var emulator = await MudbaseEmulator.StartAsync(new MudbaseEmulatorOptions { EnableRateLimits = false }, Ct);
        using var api = new StorageApi(emulator);
        var bucket = emulator.FindBucketId()!;

        var atLimit = await api.UploadAsync(bucket, api.Key(), new MultipartFormDataContent { { new StreamContent(new GeneratedStream(52_428_800, seed: 1)), "files", "a.bin" } });
        var over = await api.UploadAsync(bucket, api.Key(), new MultipartFormDataContent { { new StreamContent(new GeneratedStream(52_428_801, seed: 1)), "files", "b.bin" } });

        Assert.Equal(HttpStatusCode.Created, atLimit.Status);
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, """{"error":"File size exceeds limit of 52428800 bytes","maxFileUploadBytes":52428800}"""), (over.Status, over.Body));
        var list = await api.SendAsync(HttpMethod.Get, StorageApi.FilesPath(emulator.DefaultProjectId, bucket), api.Key());
        Assert.Equal(["a.bin"], list.Json.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("originalName").GetString()));
    }

    [Fact]
    public async Task The_bytes_are_on_disk_in_a_folder_of_the_emulator_that_is_deleted_when_it_stops()
    {
        var emulator = await MudbaseEmulator.StartAsync(new MudbaseEmulatorOptions { EnableRateLimits = false }, Ct);
        string folder;
        await using (emulator)
        {
            using var api = new StorageApi(emulator);
            var fileId = await api.SeedFileAsync(emulator.FindBucketId()!, "a.bin", StorageApi.RandomBytes(1000));

            folder = Assert.Single(Directory.EnumerateDirectories(Path.GetTempPath(), "mudbase-emulator-*"), path => File.Exists(Path.Combine(path, "file-" + fileId)));
            Assert.Equal(1000, new FileInfo(Path.Combine(folder, "file-" + fileId)).Length);
        }

        Assert.False(Directory.Exists(folder));
    }

    [Fact]
    public async Task Uploads_have_their_own_bucket_of_500_per_hour_that_presigns_count_in_too()
    {
        await using var emulator = await MudbaseEmulator.StartAsync(cancellationToken: Ct);
        using var api = new StorageApi(emulator);
        var bucket = emulator.FindBucketId()!;
        var presign = $$"""{"projectId":"{{emulator.DefaultProjectId}}","originalName":"a.bin"}""";

        var read = await api.SendAsync(HttpMethod.Get, StorageApi.FilesPath(emulator.DefaultProjectId, bucket), api.Key());
        var first = await api.UploadAsync(bucket, api.Key(), [new UploadPart("a.bin", [1])]);
        var answers = new List<WireAnswer>();
        for (var i = 0; i < 499; i++)
        {
            answers.Add(await api.SendAsync(HttpMethod.Post, "api/files/upload/presigned", api.Key(), presign));
        }

        var refused = await api.UploadAsync(bucket, api.Key(), [new UploadPart("b.bin", [1])]);

        Assert.Equal("2000;w=900", read.RateLimitPolicy);
        Assert.Equal(HttpStatusCode.Created, first.Status);
        Assert.All(answers, answer => Assert.Equal(HttpStatusCode.OK, answer.Status));
        Assert.Equal("500;w=3600", answers[0].RateLimitPolicy);
        Assert.Equal((HttpStatusCode.TooManyRequests, """{"error":"Too many requests from this IP, please try again later."}"""), (refused.Status, refused.Body));
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, StorageApi.FilesPath(emulator.DefaultProjectId, bucket), api.Key())).Status);
    }

    /// <summary>
    /// Pseudo-random bytes made as they are read, never seekable (as a network stream or a pipe), hashed on the way:
    /// a file of any size without memory or disk on the client's side.
    /// </summary>
    private sealed class GeneratedStream(long length, int seed) : Stream
    {
        private readonly Random _random = new(seed);
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _position;
        private byte[]? _digest;

        /// <summary>The SHA-256 of every byte, once all were read (kept past disposal: the request disposes its content).</summary>
        public byte[] Hash => _digest ?? throw new InvalidOperationException("Not read to the end.");

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var count = (int)Math.Min(buffer.Length, length - _position);
            _random.NextBytes(buffer[..count]);
            _hash.AppendData(buffer[..count]);
            _position += count;
            if (_position == length)
            {
                _digest ??= _hash.GetHashAndReset();
            }

            return count;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => Task.FromResult(Read(buffer, offset, count));

        public override void Flush() => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
