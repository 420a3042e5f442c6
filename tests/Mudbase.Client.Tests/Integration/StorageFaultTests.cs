using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Mudbase.Emulator;
using Mudbase.Storage;

namespace Mudbase.Tests.Integration;

/// <summary>Files when something goes wrong: an expired signed URL, a cancelled upload, a download cut in the middle.</summary>
public sealed class StorageFaultTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static MudbaseClient ServerClient(MudbaseEmulator emulator) => new(new MudbaseClientOptions
    {
        BaseUrl = emulator.BaseUrl,
        ProjectId = emulator.DefaultProjectId,
        ApiKey = emulator.ApiKey,
        Retry = { BaseDelay = TimeSpan.FromMilliseconds(10) },
    });

    private static string NewBucket(MudbaseEmulator emulator) => emulator.CreateBucket("files_" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task A_signed_url_downloads_before_it_expires_and_is_refused_after_by_the_emulators_clock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await MudbaseEmulator.StartAsync(new MudbaseEmulatorOptions { EnableRateLimits = false, TimeProvider = clock }, Ct);
        using var server = ServerClient(emulator);
        var files = server.Storage.Bucket(NewBucket(emulator));
        var stored = await files.UploadAsync(new MemoryStream("hello"u8.ToArray()), "hello.txt", cancellationToken: Ct);
        var signed = await files.CreateSignedUrlAsync(stored.Id, TimeSpan.FromMinutes(1), Ct);
        using var http = new HttpClient();

        Assert.Equal("hello", await http.GetStringAsync(signed.Url, Ct));
        clock.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal("hello", await http.GetStringAsync(signed.Url, Ct));
        clock.Advance(TimeSpan.FromSeconds(2));
        using var expired = await http.GetAsync(signed.Url, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task An_upload_cancelled_halfway_throws_OperationCanceledException_and_leaves_no_file(bool direct)
    {
        using var server = ServerClient(fixture.Emulator);
        var files = server.Storage.Bucket(NewBucket(fixture.Emulator));
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        // A multipart upload from a stream of unknown length; a direct one cancelled during its PUT (before any confirm).
        var content = new SlowStream(4_000_000, seekable: direct, cancelAt: 2_000_000, cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => direct
            ? files.UploadDirectAsync(content, "half.bin", cancellationToken: cancel.Token)
            : files.UploadAsync(content, "half.bin", cancellationToken: cancel.Token));

        Assert.True(content.BytesRead >= 2_000_000 && content.BytesRead < 4_000_000, $"read {content.BytesRead} bytes");
        // The client gives up at once; the server notices the aborted body a moment later, and would store a file then if it were wrong.
        await Task.Delay(300, Ct);
        Assert.Equal(0, (await files.ListAsync(cancellationToken: Ct)).Total);
    }

    [Fact]
    public async Task A_download_cut_in_the_middle_is_a_transport_error_never_a_short_copy()
    {
        await using var emulator = await MudbaseEmulator.StartAsync(
            new MudbaseEmulatorOptions { EnableRateLimits = false, Chaos = new EmulatorChaosOptions { ResetDuringDownload = 1.0 } }, Ct);
        using var server = ServerClient(emulator);
        var files = server.Storage.Bucket(NewBucket(emulator));
        var bytes = RandomNumberGenerator.GetBytes(1_000_000);
        // An upload is no download: the chaos leaves it whole.
        var stored = await files.UploadAsync(new MemoryStream(bytes), "cut.bin", cancellationToken: Ct);

        using var copy = new MemoryStream();
        await Assert.ThrowsAsync<MudbaseTransportException>(() => files.DownloadToAsync(stored.Id, copy, cancellationToken: Ct));
        Assert.True(copy.Length < bytes.Length, $"copied {copy.Length} bytes");

        await using var read = await files.OpenReadAsync(stored.Id, Ct);
        using var second = new MemoryStream();
        await Assert.ThrowsAsync<MudbaseTransportException>(() => read.CopyToAsync(second, Ct));
        Assert.True(second.Length < bytes.Length, $"read {second.Length} bytes");
    }

    /// <summary>Serves <c>length</c> bytes in small, slow chunks, and cancels the upload once <c>cancelAt</c> of them are read.</summary>
    private sealed class SlowStream(long length, bool seekable, long cancelAt, CancellationTokenSource cancel) : Stream
    {
        private long _position;

        public long BytesRead => _position;

        public override bool CanRead => true;
        public override bool CanSeek => seekable;
        public override bool CanWrite => false;
        public override long Length => seekable ? length : throw new NotSupportedException();

        public override long Position
        {
            get => seekable ? _position : throw new NotSupportedException();
            set => _position = seekable && value == 0 ? 0 : throw new NotSupportedException();
        }

        public override void Flush() { }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_position >= cancelAt)
            {
                await cancel.CancelAsync();
            }

            await Task.Delay(2, cancellationToken);
            var n = (int)Math.Min(Math.Min(buffer.Length, 64 * 1024), length - _position);
            buffer.Span[..n].Fill(7);
            _position += n;
            return n;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override long Seek(long offset, SeekOrigin origin) =>
            seekable && offset == 0 && origin == SeekOrigin.Begin ? _position = 0 : throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
