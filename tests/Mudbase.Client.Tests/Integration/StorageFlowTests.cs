using System.Security.Cryptography;
using Mudbase.Storage;

namespace Mudbase.Tests.Integration;

/// <summary>Files end to end: the public client against the emulator's buckets, streamed both ways.</summary>
public sealed class StorageFlowTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MudbaseClient ServerClient() => new(new MudbaseClientOptions
    {
        BaseUrl = fixture.Emulator.BaseUrl,
        ProjectId = fixture.Emulator.DefaultProjectId,
        ApiKey = fixture.Emulator.ApiKey,
    });

    private string NewBucket() => fixture.Emulator.CreateBucket("files_" + Guid.NewGuid().ToString("N")[..8]);

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(3_000_000)]
    public async Task A_file_uploaded_from_a_non_seekable_stream_downloads_with_the_same_hash_and_progress_reaches_the_total(int size)
    {
        using var server = ServerClient();
        var files = server.Storage.Bucket(NewBucket());
        var bytes = RandomNumberGenerator.GetBytes(size);
        var up = new List<TransferProgress>();
        var down = new List<TransferProgress>();

        var stored = await files.UploadAsync(new NonSeekable(bytes), "data.bin", new UploadOptions { Progress = new Recorder(up) }, Ct);
        using var copy = new MemoryStream();
        await files.DownloadToAsync(stored.Id, copy, new Recorder(down), Ct);

        Assert.Equal(size, stored.Size);
        Assert.Equal("data.bin", stored.OriginalName);
        Assert.Equal(SHA256.HashData(bytes), SHA256.HashData(copy.ToArray()));
        Assert.Equal(size, down.Count == 0 ? 0 : down[^1].BytesTransferred);
        Assert.Equal(size, up.Count == 0 ? 0 : up[^1].BytesTransferred);
    }

    [Fact]
    public async Task Ten_files_in_one_upload_are_listed_read_and_deleted()
    {
        using var server = ServerClient();
        var files = server.Storage.Bucket(NewBucket());
        var uploads = Enumerable.Range(0, 10).Select(i => new FileUpload(new MemoryStream([(byte)i, 42]), $"f{i}.txt")).ToList();

        var stored = await files.UploadAsync(uploads, cancellationToken: Ct);

        Assert.Equal(10, stored.Count);
        Assert.Equal(10, (await files.ListAsync(cancellationToken: Ct)).Total);
        var one = await files.GetAsync(stored[3].Id, Ct);
        Assert.Equal("f3.txt", one.OriginalName);
        Assert.Equal("text/plain", one.ContentType);
        await files.DeleteAsync(one.Id, Ct);
        await Assert.ThrowsAsync<MudbaseNotFoundException>(() => files.GetAsync(one.Id, Ct));
    }

    [Fact]
    public async Task A_signed_url_downloads_with_a_plain_HttpClient()
    {
        using var server = ServerClient();
        var files = server.Storage.Bucket(NewBucket());
        var stored = await files.UploadAsync(new MemoryStream("hello"u8.ToArray()), "hello.txt", cancellationToken: Ct);

        var signed = await files.CreateSignedUrlAsync(stored.Id, TimeSpan.FromMinutes(5), Ct);
        using var http = new HttpClient();

        Assert.Equal("hello", await http.GetStringAsync(signed.Url, Ct));
    }

    [Fact]
    public async Task A_direct_upload_presigns_puts_and_confirms_and_the_file_reads_back()
    {
        using var server = ServerClient();
        var files = server.Storage.Bucket(NewBucket());
        var bytes = RandomNumberGenerator.GetBytes(200_000);

        var stored = await files.UploadDirectAsync(new MemoryStream(bytes), "direct.bin", cancellationToken: Ct);
        await using var read = await files.OpenReadAsync(stored.Id, Ct);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy, Ct);

        Assert.Equal(bytes, copy.ToArray());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_direct_upload_from_a_stream_that_cannot_seek_reaches_the_object_store_with_its_length_and_reads_back(bool lengthGiven)
    {
        // The emulator's presigned PUT refuses a body without a Content-Length (411), as an S3 one does.
        using var server = ServerClient();
        var files = server.Storage.Bucket(NewBucket());
        var bytes = RandomNumberGenerator.GetBytes(1_000_000);
        var up = new List<TransferProgress>();

        var stored = await files.UploadDirectAsync(
            new NonSeekable(bytes), "pipe.bin", new UploadOptions { Progress = new Recorder(up), ContentLength = lengthGiven ? bytes.Length : null }, Ct);
        await using var read = await files.OpenReadAsync(stored.Id, Ct);
        using var copy = new MemoryStream();
        await read.CopyToAsync(copy, Ct);

        Assert.Equal(bytes.Length, stored.Size);
        Assert.Equal(bytes, copy.ToArray());
        Assert.Equal(new TransferProgress(bytes.Length, bytes.Length), up[^1]);
        Assert.Equal(bytes.Length, (await files.GetAsync(stored.Id, Ct)).Size);
    }

    [Fact]
    public async Task A_user_reads_files_but_an_upload_needs_the_api_key_and_says_so()
    {
        using var server = ServerClient();
        var bucket = NewBucket();
        var stored = await server.Storage.Bucket(bucket).UploadAsync(new MemoryStream([1, 2, 3]), "three.bin", cancellationToken: Ct);
        using var user = fixture.CreateClient();
        await user.Auth.CreateAnonymousAsync(cancellationToken: Ct);

        Assert.Equal(3, (await user.Storage.Bucket(bucket).GetAsync(stored.Id, Ct)).Size);
        var ex = await Assert.ThrowsAsync<MudbaseForbiddenException>(() => user.Storage.Bucket(bucket).UploadAsync(new MemoryStream([1]), "no.bin", cancellationToken: Ct));

        Assert.Contains("API key", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>A stream that cannot seek and reports no length, as a network stream or a pipe.</summary>
    private sealed class NonSeekable(byte[] bytes) : NonSeekableReadStream
    {
        private readonly MemoryStream _inner = new(bytes);

        public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
    }

    /// <summary>Records progress as reported (synchronously: Progress&lt;T&gt; would post to a context).</summary>
    private sealed class Recorder(List<TransferProgress> into) : IProgress<TransferProgress>
    {
        public void Report(TransferProgress value)
        {
            lock (into)
            {
                into.Add(value);
            }
        }
    }
}
