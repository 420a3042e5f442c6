using System.Net;
using Mudbase.Storage;
using Mudbase.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static Mudbase.Tests.Contract.StorageContractTests;

namespace Mudbase.Tests.Contract;

/// <summary>
/// Storage's transfers on the wire: the multipart an upload sends (part names, file names, media types, <c>isPublic</c>),
/// streams that cannot seek, progress, what is re-sent (a seekable stream rewound, a non-seekable one not, with the reason),
/// cancellation, direct upload's PUT and POST forms, and downloads that stream, retry before the body and fail loudly when
/// the connection breaks in the middle of it.
/// </summary>
public sealed class StorageTransferTests : IDisposable
{
    private static readonly string DownloadPath = $"/api/bucket/files/{FileId}/download";
    private const string Unavailable = """{"error":"Service temporarily unavailable. Please try again later.","code":"SERVICE_UNAVAILABLE"}""";

    private readonly WireMockServer _server = Wire.StartServer();

    public void Dispose()
    {
        _server.Dispose();
        foreach (var folder in _folders)
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    private static byte[] Bytes(int length, int seed = 7)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private void AnswerUploads() => _server.Given(Request.Create().WithPath(FilesPath).UsingPost()).RespondWith(Wire.Json(201, UploadAnswer));

    private IReadOnlyList<MultipartPart> SentParts(int index = 0)
    {
        var sent = _server.Requests()[index];
        return Multipart.Parse(sent.Header("Content-Type")!, sent.BodyAsBytes!);
    }

    // The multipart.

    [Fact]
    public async Task An_upload_sends_isPublic_first_then_one_files_part_with_its_name_type_and_bytes()
    {
        AnswerUploads();
        using var client = _server.Client();
        var bytes = Bytes(100_000);

        await client.Storage.Bucket(BucketId).UploadAsync(new MemoryStream(bytes), "photo.png", new UploadOptions { IsPublic = true, ContentType = "image/webp" }, Wire.Ct);

        var sent = Assert.Single(_server.Requests());
        Assert.StartsWith("multipart/form-data; boundary=", sent.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal(sent.BodyAsBytes!.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), sent.Header("Content-Length"));
        var parts = SentParts();
        Assert.Equal(2, parts.Count);
        Assert.Equal("form-data; name=\"isPublic\"", parts[0].Header("Content-Disposition"));
        Assert.Null(parts[0].Header("Content-Type"));
        Assert.Equal("true", parts[0].Text);
        Assert.Equal("form-data; name=\"files\"; filename=\"photo.png\"", parts[1].Header("Content-Disposition"));
        Assert.Equal("image/webp", parts[1].Header("Content-Type"));
        Assert.Equal(bytes, parts[1].Body);
    }

    [Fact]
    public async Task A_private_upload_sends_no_isPublic_part()
    {
        AnswerUploads();
        using var client = _server.Client();

        await client.Storage.Bucket(BucketId).UploadAsync(new MemoryStream([1, 2, 3]), "a.bin", cancellationToken: Wire.Ct);

        var part = Assert.Single(SentParts());
        Assert.Equal("form-data; name=\"files\"; filename=\"a.bin\"", part.Header("Content-Disposition"));
    }

    [Fact]
    public async Task A_name_beyond_ascii_also_goes_in_its_utf8_form()
    {
        AnswerUploads();
        using var client = _server.Client();

        await client.Storage.Bucket(BucketId).UploadAsync(new MemoryStream([1]), "résumé final.pdf", cancellationToken: Wire.Ct);

        var disposition = Assert.Single(SentParts()).Header("Content-Disposition")!;
        Assert.Contains("name=\"files\"", disposition, StringComparison.Ordinal);
        Assert.Contains("filename*=utf-8''r%C3%A9sum%C3%A9%20final.pdf", disposition, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_files_go_in_one_request_in_order_each_with_its_own_type()
    {
        AnswerUploads();
        using var client = _server.Client();
        var (a, b, c) = (Bytes(70_000, 1), Bytes(10, 2), Bytes(0));
        var progress = new ProgressLog();

        await client.Storage.Bucket(BucketId).UploadAsync(
            [new FileUpload(new MemoryStream(a), "a.jpg"), new FileUpload(new NonSeekableStream(b), "b.dat", "text/csv"), new FileUpload(new MemoryStream(c), "c.unknown")],
            new UploadOptions { ContentType = "application/x-custom", Progress = progress },
            Wire.Ct);

        var parts = SentParts();
        Assert.Equal(
            new[] { "form-data; name=\"files\"; filename=\"a.jpg\"", "form-data; name=\"files\"; filename=\"b.dat\"", "form-data; name=\"files\"; filename=\"c.unknown\"" },
            parts.Select(p => p.Header("Content-Disposition")));
        Assert.Equal(new[] { "application/x-custom", "text/csv", "application/x-custom" }, parts.Select(p => p.Header("Content-Type")));
        Assert.Equal(new[] { a, b, c }, parts.Select(p => p.Body));
        // One stream cannot say its length, so neither can the total.
        Assert.Equal(new TransferProgress(70_010, null), progress.Reports[^1]);
    }

    [Fact]
    public async Task A_stream_that_cannot_seek_is_sent_chunked_and_whole()
    {
        AnswerUploads();
        using var client = _server.Client();
        var bytes = Bytes(200_000);

        await client.Storage.Bucket(BucketId).UploadAsync(new NonSeekableStream(bytes), "pipe.bin", cancellationToken: Wire.Ct);

        Assert.Null(Assert.Single(_server.Requests()).Header("Content-Length"));
        Assert.Equal(bytes, Assert.Single(SentParts()).Body);
    }

    [Fact]
    public async Task Upload_file_streams_the_file_under_its_own_name_and_inferred_type()
    {
        AnswerUploads();
        using var client = _server.Client();
        var path = Path.Combine(Path.GetTempPath(), $"mudbase-{Guid.NewGuid():N}.csv");
        var bytes = Bytes(90_000);
        await File.WriteAllBytesAsync(path, bytes, Wire.Ct);
        try
        {
            await client.Storage.Bucket(BucketId).UploadFileAsync(path, cancellationToken: Wire.Ct);
        }
        finally
        {
            File.Delete(path);
        }

        var part = Assert.Single(SentParts());
        Assert.Equal($"form-data; name=\"files\"; filename=\"{Path.GetFileName(path)}\"", part.Header("Content-Disposition"));
        Assert.Equal("text/csv", part.Header("Content-Type"));
        Assert.Equal(bytes, part.Body);
    }

    // Progress.

    [Fact]
    public async Task Progress_is_told_at_most_every_64_KB_and_reaches_the_total()
    {
        AnswerUploads();
        using var client = _server.Client();
        const int size = 300_000;
        var progress = new ProgressLog();

        await client.Storage.Bucket(BucketId).UploadAsync(new MemoryStream(Bytes(size)), "a.bin", new UploadOptions { Progress = progress }, Wire.Ct);

        var reports = progress.Reports;
        Assert.Equal(new TransferProgress(size, size), reports[^1]);
        Assert.InRange(reports.Count, 2, size / (64 * 1024) + 1);
        for (var i = 1; i < reports.Count - 1; i++)
        {
            Assert.True(reports[i].BytesTransferred - reports[i - 1].BytesTransferred >= 64 * 1024, $"report {i} came early");
        }
    }

    [Fact]
    public async Task An_empty_file_reports_its_end_once()
    {
        AnswerUploads();
        using var client = _server.Client();
        var progress = new ProgressLog();

        await client.Storage.Bucket(BucketId).UploadAsync(new MemoryStream(), "empty.txt", new UploadOptions { Progress = progress }, Wire.Ct);

        Assert.Equal(new[] { new TransferProgress(0, 0) }, progress.Reports);
        Assert.Empty(Assert.Single(SentParts()).Body);
    }

    // What is re-sent.

    [Fact]
    public async Task A_seekable_upload_turned_away_with_a_retry_after_is_rewound_and_sent_again_whole()
    {
        var answers = _server.AnswerInOrder(FilesPath, () => Wire.Message(503, Unavailable, ("Retry-After", "0")), () => Wire.Message(201, UploadAnswer));
        using var client = _server.Client();
        var bytes = Bytes(150_000);
        var progress = new ProgressLog();

        var file = await client.Storage.Bucket(BucketId).UploadAsync(new MemoryStream(bytes), "a.bin", new UploadOptions { Progress = progress }, Wire.Ct);

        Assert.Equal(FileId, file.Id);
        Assert.Equal(2, answers.Count);
        Assert.Equal(bytes, Assert.Single(SentParts(0)).Body);
        Assert.Equal(bytes, Assert.Single(SentParts(1)).Body);
        Assert.Equal(new TransferProgress(bytes.Length, bytes.Length), progress.Reports[^1]);
    }

    [Fact]
    public async Task A_non_seekable_upload_turned_away_with_a_retry_after_is_not_sent_again_and_the_error_says_why()
    {
        var answers = _server.AnswerInOrder(FilesPath, () => Wire.Message(503, Unavailable, ("Retry-After", "0")), () => Wire.Message(201, UploadAnswer));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseServerException>(() =>
            client.Storage.Bucket(BucketId).UploadAsync(new NonSeekableStream(Bytes(1000)), "pipe.bin", cancellationToken: Wire.Ct));

        Assert.Equal(1, answers.Count);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.Contains("It was not re-sent", ex.Message, StringComparison.Ordinal);
        Assert.Contains("cannot be rewound (CanSeek is false)", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    [InlineData(503)]
    public async Task An_upload_is_never_sent_again_after_an_answer_that_may_mean_it_was_stored(int status)
    {
        var answers = _server.AnswerInOrder(FilesPath, () => Wire.Message(status, """{"error":"boom"}"""), () => Wire.Message(201, UploadAnswer));
        using var client = _server.Client();

        await Errors.ExpectAsync<MudbaseServerException>(() =>
            client.Storage.Bucket(BucketId).UploadAsync(new MemoryStream(Bytes(1000)), "a.bin", cancellationToken: Wire.Ct));

        Assert.Equal(1, answers.Count);
    }

    [Fact]
    public async Task A_refused_connection_resends_even_a_non_seekable_upload_since_nothing_of_it_was_read()
    {
        var counter = new CountingHandler(new SocketsHttpHandler());
        using var client = Wire.Client(RawTcpServer.UrlWithNothingListening(), counter, TimeProvider.System);
        var stream = new NonSeekableStream(Bytes(1000));

        await Errors.ExpectAsync<MudbaseTransportException>(() => client.Storage.Bucket(BucketId).UploadAsync(stream, "pipe.bin", cancellationToken: Wire.Ct));

        Assert.Equal(3, counter.Attempts);
        Assert.Equal(0, stream.BytesRead);
    }

    [Fact]
    public async Task Cancelling_stops_an_upload_at_once()
    {
        AnswerUploads();
        using var client = _server.Client();
        var stream = new NonSeekableStream(Bytes(10 * 1024 * 1024), delayPerRead: TimeSpan.FromMilliseconds(20));
        var progress = new ProgressLog();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Wire.Ct);

        var upload = client.Storage.Bucket(BucketId).UploadAsync(stream, "big.bin", new UploadOptions { Progress = progress }, cts.Token);
        await progress.FirstReport.WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload.WaitAsync(TimeSpan.FromSeconds(5), Wire.Ct));
        Assert.True(stream.BytesRead < 2 * 1024 * 1024, $"{stream.BytesRead} bytes were read after the cancellation");
    }

    // Direct upload.

    private string PresignPut(string query = "sig=abc", long max = 52428800) =>
        $$"""{"key":"k1","url":"{{_server.Url}}/__storage/k1?{{query}}","method":"PUT","headers":{"Content-Type":"image/png","x-amz-meta-owner":"ada"},"expiresIn":900,"maxFileUploadBytes":{{max}}}""";

    private void AnswerConfirm() =>
        _server.Given(Request.Create().WithPath("/api/files/upload/confirm").UsingPost()).RespondWith(Wire.Json(201,
            """{"fileId":"6863b2a0e129932fbb7a4009","status":"ok","scan":{"status":"clean","provider":"none"}}"""));

    [Fact]
    public async Task Direct_upload_presigns_puts_exactly_the_named_headers_without_credentials_then_confirms()
    {
        _server.Given(Request.Create().WithPath("/api/files/upload/presigned").UsingPost()).RespondWith(Wire.Json(200, PresignPut()));
        _server.Given(Request.Create().WithPath("/__storage/k1").UsingPut()).RespondWith(Response.Create().WithStatusCode(200));
        AnswerConfirm();
        using var client = _server.Client(o => o.ApiKey = ApiKey);
        var bytes = Bytes(100_000);

        var file = await client.Storage.Bucket(BucketId).UploadDirectAsync(new MemoryStream(bytes), "a.png", new UploadOptions { IsPublic = true }, Wire.Ct);

        var sent = _server.Requests();
        Assert.Equal(new[] { "POST /api/files/upload/presigned", "PUT /__storage/k1", "POST /api/files/upload/confirm" }, sent.Select(r => $"{r.Method} {r.Path}"));
        Assert.Equal(
            $$"""{"projectId":"{{Wire.ProjectId}}","originalName":"a.png","bucket":"{{BucketId}}","contentType":"image/png","isPublic":true}""",
            sent[0].Body);
        Assert.Equal(ApiKey, sent[0].Header("X-API-Key"));
        Assert.Equal("sig=abc", sent[1].RawQuery!.TrimStart('?'));
        Assert.Equal(bytes, sent[1].BodyAsBytes);
        Assert.Equal("image/png", sent[1].Header("Content-Type"));
        Assert.Equal("ada", sent[1].Header("x-amz-meta-owner"));
        Assert.Null(sent[1].Header("X-API-Key"));
        Assert.Null(sent[1].Header("Authorization"));
        Assert.Equal(
            $$"""{"key":"k1","projectId":"{{Wire.ProjectId}}","originalName":"a.png","contentType":"image/png","size":100000,"bucket":"{{BucketId}}","isPublic":true}""",
            sent[2].Body);
        Assert.Equal(("6863b2a0e129932fbb7a4009", 100_000L, true), (file.Id, file.Size!.Value, file.IsPublic));
        Assert.Equal("ok", file.AdditionalProperties["status"].GetString());
    }

    [Fact]
    public async Task Direct_upload_with_presigned_fields_posts_a_form_with_the_fields_first_and_the_file_last()
    {
        _server.Given(Request.Create().WithPath("/api/files/upload/presigned").UsingPost()).RespondWith(Wire.Json(200,
            $$"""{"key":"k1","url":"{{_server.Url}}/__storage","fields":{"key":"k1","policy":"cG9saWN5","x-amz-signature":"s1g"},"expiresIn":900}"""));
        _server.Given(Request.Create().WithPath("/__storage").UsingPost()).RespondWith(Response.Create().WithStatusCode(204));
        AnswerConfirm();
        using var client = _server.Client(o => o.ApiKey = ApiKey);
        var bytes = Bytes(1000);

        await client.Storage.Bucket(BucketId).UploadDirectAsync(new MemoryStream(bytes), "a.txt", cancellationToken: Wire.Ct);

        var parts = SentParts(1);
        Assert.Equal(
            new[] { "form-data; name=\"key\"", "form-data; name=\"policy\"", "form-data; name=\"x-amz-signature\"", "form-data; name=\"file\"; filename=\"a.txt\"" },
            parts.Select(p => p.Header("Content-Disposition")));
        Assert.Equal(new[] { "k1", "cG9saWN5", "s1g" }, parts.Take(3).Select(p => p.Text));
        Assert.Equal("text/plain", parts[3].Header("Content-Type"));
        Assert.Equal(bytes, parts[3].Body);
        Assert.Null(_server.Requests()[1].Header("X-API-Key"));
        Assert.Equal(3, _server.Requests().Count);
    }

    [Fact]
    public async Task A_direct_put_that_failed_is_sent_again_from_the_start_of_a_seekable_stream()
    {
        _server.Given(Request.Create().WithPath("/api/files/upload/presigned").UsingPost()).RespondWith(Wire.Json(200, PresignPut()));
        var puts = _server.AnswerInOrder("/__storage/k1", () => Wire.Message(500, "<Error>InternalError</Error>"), () => Wire.Message(200));
        AnswerConfirm();
        using var client = _server.Client();
        var bytes = Bytes(5000);

        await client.Storage.Bucket(BucketId).UploadDirectAsync(new MemoryStream(bytes), "a.png", cancellationToken: Wire.Ct);

        Assert.Equal(2, puts.Count);
        Assert.All(_server.Requests().Where(r => r.Method == "PUT"), put => Assert.Equal(bytes, put.BodyAsBytes));
        Assert.Contains("\"size\":5000,", _server.Requests()[^1].Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_direct_put_of_a_stream_that_cannot_seek_sent_as_it_comes_is_not_sent_again_and_nothing_is_confirmed()
    {
        _server.Given(Request.Create().WithPath("/api/files/upload/presigned").UsingPost()).RespondWith(Wire.Json(200, PresignPut()));
        var puts = _server.AnswerInOrder("/__storage/k1", () => Wire.Message(500), () => Wire.Message(200));
        AnswerConfirm();
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseServerException>(() => client.Storage.Bucket(BucketId).UploadDirectAsync(
            new NonSeekableStream(Bytes(5000)), "a.png", new UploadOptions { ContentLength = 5000 }, Wire.Ct));

        Assert.Equal(1, puts.Count);
        Assert.Contains("cannot be rewound", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_server.Requests(), r => r.Path == "/api/files/upload/confirm");
    }

    // A direct upload from a stream that cannot seek: an object store wants the length first.

    /// <summary>A client whose temporary copies go to a folder of this test's own, deleted with the test.</summary>
    private MudbaseClient ClientWithCopiesIn(out string folder)
    {
        folder = Path.Combine(Path.GetTempPath(), "mudbase-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        _folders.Add(folder);
        var client = _server.Client();
        ((MudbaseStorage)client.Storage).TemporaryFolder = folder;
        return client;
    }

    private readonly List<string> _folders = [];

    /// <summary>Notes, when the first progress report comes (the PUT under way), which files the copies' folder holds, and their modes.</summary>
    private sealed class FolderWatch(string folder) : IProgress<TransferProgress>
    {
        public (string Name, UnixFileMode Mode)[]? FilesDuringPut { get; private set; }

        public TransferProgress Last { get; private set; }

        public void Report(TransferProgress value)
        {
            FilesDuringPut ??= Directory.GetFiles(folder)
                .Select(path => (Path.GetFileName(path), OperatingSystem.IsWindows() ? UnixFileMode.None : File.GetUnixFileMode(path)))
                .ToArray();
            Last = value;
        }
    }

    [Fact]
    public async Task A_stream_that_cannot_seek_is_copied_to_a_temporary_file_first_then_put_with_its_length_and_the_copy_is_deleted()
    {
        _server.Given(Request.Create().WithPath("/api/files/upload/presigned").UsingPost()).RespondWith(Wire.Json(200, PresignPut()));
        _server.Given(Request.Create().WithPath("/__storage/k1").UsingPut()).RespondWith(Response.Create().WithStatusCode(200));
        AnswerConfirm();
        using var client = ClientWithCopiesIn(out var folder);
        var bytes = Bytes(300_000);
        var watch = new FolderWatch(folder);

        var file = await client.Storage.Bucket(BucketId).UploadDirectAsync(new NonSeekableStream(bytes), "a.png", new UploadOptions { Progress = watch }, Wire.Ct);

        var put = _server.Requests()[1];
        Assert.Equal("300000", put.Header("Content-Length"));
        Assert.Null(put.Header("Transfer-Encoding"));
        Assert.Equal(bytes, put.BodyAsBytes);
        Assert.Equal(new TransferProgress(300_000, 300_000), watch.Last);
        Assert.Contains("\"size\":300000,", _server.Requests()[2].Body, StringComparison.Ordinal);
        Assert.Equal(300_000, file.Size);
        var copy = Assert.Single(watch.FilesDuringPut!);
        Assert.StartsWith("mudbase-upload-", copy.Name, StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            // Readable by its owner only: it holds the user's file.
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, copy.Mode);
        }

        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task A_put_of_the_copy_that_failed_is_sent_again_whole_from_the_copy()
    {
        _server.Given(Request.Create().WithPath("/api/files/upload/presigned").UsingPost()).RespondWith(Wire.Json(200, PresignPut()));
        var puts = _server.AnswerInOrder("/__storage/k1", () => Wire.Message(503, "<Error>SlowDown</Error>"), () => Wire.Message(200));
        AnswerConfirm();
        using var client = ClientWithCopiesIn(out var folder);
        var bytes = Bytes(200_000);

        var file = await client.Storage.Bucket(BucketId).UploadDirectAsync(new NonSeekableStream(bytes), "a.png", cancellationToken: Wire.Ct);

        Assert.Equal(2, puts.Count);
        Assert.All(_server.Requests().Where(r => r.Method == "PUT"), put => Assert.Equal(bytes, put.BodyAsBytes));
        Assert.Equal(200_000, file.Size);
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task Cancelling_while_the_stream_is_copied_deletes_the_copy_and_sends_nothing_more()
    {
        _server.Given(Request.Create().WithPath("/api/files/upload/presigned").UsingPost()).RespondWith(Wire.Json(200, PresignPut()));
        using var client = ClientWithCopiesIn(out var folder);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Wire.Ct);
        var stream = new NonSeekableStream(Bytes(5_000_000), delayPerRead: TimeSpan.FromMilliseconds(20));

        var upload = client.Storage.Bucket(BucketId).UploadDirectAsync(stream, "a.png", cancellationToken: cts.Token);
        while (Directory.GetFiles(folder).Length == 0 || stream.BytesRead == 0)
        {
            await Task.Delay(10, Wire.Ct);
        }

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload.WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct));
        Assert.Empty(Directory.GetFiles(folder));
        Assert.Single(_server.Requests());
        Assert.True(stream.BytesRead < 5_000_000);
    }

    [Fact]
    public async Task Cancelling_while_the_copy_is_put_deletes_it_and_confirms_nothing()
    {
        _server.Given(Request.Create().WithPath("/api/files/upload/presigned").UsingPost()).RespondWith(Wire.Json(200, PresignPut()));
        _server.Given(Request.Create().WithPath("/__storage/k1").UsingPut()).RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(20)));
        AnswerConfirm();
        using var client = ClientWithCopiesIn(out var folder);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Wire.Ct);
        var progress = new ProgressLog();

        var upload = client.Storage.Bucket(BucketId).UploadDirectAsync(new NonSeekableStream(Bytes(300_000)), "a.png", new UploadOptions { Progress = progress }, cts.Token);
        await progress.FirstReport.WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct);
        Assert.Single(Directory.GetFiles(folder));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => upload.WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct));
        Assert.Empty(Directory.GetFiles(folder));
        Assert.DoesNotContain(_server.Requests(), r => r.Path == "/api/files/upload/confirm");
    }

    [Fact]
    public async Task A_copy_over_the_presigned_limit_stops_there_and_nothing_is_sent()
    {
        _server.Given(Request.Create().WithPath("/api/files/upload/presigned").UsingPost()).RespondWith(Wire.Json(200, PresignPut(max: 100_000)));
        using var client = ClientWithCopiesIn(out var folder);
        var stream = new NonSeekableStream(Bytes(5_000_000));

        var ex = await Errors.ExpectAsync<MudbaseFileTooLargeException>(() => client.Storage.Bucket(BucketId).UploadDirectAsync(stream, "a.png", cancellationToken: Wire.Ct));

        Assert.Equal(100_000, ex.MaxFileUploadBytes);
        Assert.Single(_server.Requests());
        Assert.True(stream.BytesRead < 1_000_000, $"{stream.BytesRead} bytes were read");
        Assert.Empty(Directory.GetFiles(folder));
    }

    [Fact]
    public async Task A_declared_length_goes_out_as_the_puts_content_length_with_no_copy_made()
    {
        _server.Given(Request.Create().WithPath("/api/files/upload/presigned").UsingPost()).RespondWith(Wire.Json(200, PresignPut()));
        _server.Given(Request.Create().WithPath("/__storage/k1").UsingPut()).RespondWith(Response.Create().WithStatusCode(200));
        AnswerConfirm();
        using var client = ClientWithCopiesIn(out var folder);
        var bytes = Bytes(300_000);
        var watch = new FolderWatch(folder);

        var file = await client.Storage.Bucket(BucketId).UploadDirectAsync(
            new NonSeekableStream(bytes), "a.png", new UploadOptions { ContentLength = 300_000, Progress = watch }, Wire.Ct);

        var put = _server.Requests()[1];
        Assert.Equal("300000", put.Header("Content-Length"));
        Assert.Equal(bytes, put.BodyAsBytes);
        Assert.Empty(watch.FilesDuringPut!);
        Assert.Equal(new TransferProgress(300_000, 300_000), watch.Last);
        Assert.Equal(300_000, file.Size);
    }

    [Theory]
    [InlineData(299_999)]
    [InlineData(300_001)]
    public async Task A_stream_that_is_not_its_declared_length_fails_naming_the_option_and_nothing_is_confirmed(long declared)
    {
        _server.Given(Request.Create().WithPath("/api/files/upload/presigned").UsingPost()).RespondWith(Wire.Json(200, PresignPut()));
        _server.Given(Request.Create().WithPath("/__storage/k1").UsingPut()).RespondWith(Response.Create().WithStatusCode(200));
        AnswerConfirm();
        using var client = _server.Client();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.Storage.Bucket(BucketId).UploadDirectAsync(
            new NonSeekableStream(Bytes(300_000)), "a.png", new UploadOptions { ContentLength = declared }, Wire.Ct));

        Assert.Equal("options.ContentLength", ex.ParamName);
        Assert.Contains(declared.ToString(System.Globalization.CultureInfo.InvariantCulture), ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_server.Requests(), r => r.Path == "/api/files/upload/confirm");
    }

    [Fact]
    public async Task An_upload_from_a_stream_that_cannot_seek_states_its_declared_length_and_progress_its_total()
    {
        AnswerUploads();
        using var client = _server.Client();
        var bytes = Bytes(200_000);
        var progress = new ProgressLog();

        await client.Storage.Bucket(BucketId).UploadAsync(new NonSeekableStream(bytes), "pipe.bin", new UploadOptions { ContentLength = 200_000, Progress = progress }, Wire.Ct);

        var sent = Assert.Single(_server.Requests());
        Assert.Equal(sent.BodyAsBytes!.Length.ToString(System.Globalization.CultureInfo.InvariantCulture), sent.Header("Content-Length"));
        Assert.Equal(bytes, Assert.Single(SentParts()).Body);
        Assert.Equal(new TransferProgress(200_000, 200_000), progress.Reports[^1]);
    }

    [Fact]
    public async Task An_upload_from_a_stream_shorter_than_its_declared_length_fails_naming_the_option()
    {
        AnswerUploads();
        using var client = _server.Client();

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => client.Storage.Bucket(BucketId).UploadAsync(
            new NonSeekableStream(Bytes(1000)), "pipe.bin", new UploadOptions { ContentLength = 2000 }, Wire.Ct));

        Assert.Equal("options.ContentLength", ex.ParamName);
        Assert.StartsWith("The stream ended after 1000 bytes, but options.ContentLength says 2000", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_stream_longer_than_the_presigned_limit_is_refused_before_any_byte_is_sent()
    {
        _server.Given(Request.Create().WithPath("/api/files/upload/presigned").UsingPost()).RespondWith(Wire.Json(200, PresignPut(max: 1000)));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseFileTooLargeException>(() =>
            client.Storage.Bucket(BucketId).UploadDirectAsync(new MemoryStream(Bytes(1001)), "a.png", cancellationToken: Wire.Ct));

        Assert.Equal(1000, ex.MaxFileUploadBytes);
        Assert.Single(_server.Requests());
    }

    [Fact]
    public async Task A_quarantined_confirm_is_a_validation_error()
    {
        _server.Given(Request.Create().WithPath("/api/files/upload/presigned").UsingPost()).RespondWith(Wire.Json(200, PresignPut()));
        _server.Given(Request.Create().WithPath("/__storage/k1").UsingPut()).RespondWith(Response.Create().WithStatusCode(200));
        _server.Given(Request.Create().WithPath("/api/files/upload/confirm").UsingPost()).RespondWith(Wire.Json(400,
            """{"message":"File quarantined","details":{"fileId":"f","status":"quarantined","threat":"EICAR"}}"""));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseValidationException>(() =>
            client.Storage.Bucket(BucketId).UploadDirectAsync(new MemoryStream([1]), "a.png", cancellationToken: Wire.Ct));

        Assert.StartsWith("HTTP 400: File quarantined", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_users_direct_upload_is_refused_with_the_api_key_explanation()
    {
        _server.Answer(Wire.AnonymousPath, Wire.Json(200, Bodies.AnonymousSession()));
        _server.Given(Request.Create().WithPath("/api/files/upload/presigned").UsingPost()).RespondWith(Wire.Json(403, OrgOnly));
        using var client = _server.Client();
        await client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);

        var ex = await Errors.ExpectAsync<MudbaseForbiddenException>(() =>
            client.Storage.Bucket(BucketId).UploadDirectAsync(new MemoryStream([1]), "a.png", cancellationToken: Wire.Ct));

        Assert.StartsWith("HTTP 403: Uploading files needs an API key or an org role", ex.Message, StringComparison.Ordinal);
    }

    // Downloads.

    private void AnswerSignedUrl(string token = "a%2Bb") =>
        _server.Given(Request.Create().WithPath($"{FilePath()}/signed-url").UsingPost()).RespondWith(Wire.Json(200,
            $$"""{"success":true,"url":"https://cloud.mudbase.dev{{DownloadPath}}?token={{token}}","expiresAt":"2030-01-01T00:00:00.000Z","expiresIn":300}"""));

    [Fact]
    public async Task A_download_signs_then_streams_the_bytes_from_the_base_url_with_the_token_and_progress()
    {
        AnswerSignedUrl();
        var bytes = Bytes(300_000);
        _server.Given(Request.Create().WithPath(DownloadPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(200)
            .WithHeader("Content-Type", "application/octet-stream").WithBody(bytes));
        using var client = _server.Client(o => o.ApiKey = ApiKey);
        using var destination = new MemoryStream();
        var progress = new ProgressLog();

        await client.Storage.Bucket(BucketId).DownloadToAsync(FileId, destination, progress, Wire.Ct);

        Assert.Equal(bytes, destination.ToArray());
        var sent = _server.Requests();
        Assert.Equal("""{"expiresIn":300}""", sent[0].Body);
        Assert.Equal(DownloadPath, sent[1].Path);
        Assert.Equal("token=a%2Bb", sent[1].RawQuery!.TrimStart('?'));
        // WireMock sends the body chunked, without its length: the total is unknown, the bytes all there.
        Assert.Equal(new TransferProgress(bytes.Length, null), progress.Reports[^1]);
        Assert.InRange(progress.Reports.Count, 2, bytes.Length / (64 * 1024) + 1);
    }

    [Fact]
    public async Task Transfers_keep_the_base_urls_path_as_every_other_call_does()
    {
        const string prefix = "/mudbase";
        _server.Given(Request.Create().WithPath(prefix + FilesPath).UsingPost()).RespondWith(Wire.Json(201, UploadAnswer));
        _server.Given(Request.Create().WithPath($"{prefix}{FilePath()}/signed-url").UsingPost()).RespondWith(Wire.Json(200,
            $$"""{"success":true,"url":"https://cloud.mudbase.dev{{DownloadPath}}?token=t0k","expiresAt":"2030-01-01T00:00:00.000Z","expiresIn":300}"""));
        _server.Given(Request.Create().WithPath(prefix + DownloadPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody([4, 5]));
        using var client = _server.Client(o => o.BaseUrl = new Uri(_server.BaseUrl(), prefix + "/"));
        using var destination = new MemoryStream();

        await client.Storage.Bucket(BucketId).UploadAsync(new MemoryStream([1]), "a.bin", cancellationToken: Wire.Ct);
        await client.Storage.Bucket(BucketId).DownloadToAsync(FileId, destination, cancellationToken: Wire.Ct);

        Assert.Equal(new[] { prefix + FilesPath, $"{prefix}{FilePath()}/signed-url", prefix + DownloadPath }, _server.Requests().Select(r => r.Path));
        Assert.Equal("token=t0k", _server.Requests()[2].RawQuery!.TrimStart('?'));
        Assert.Equal(new byte[] { 4, 5 }, destination.ToArray());
    }

    [Fact]
    public async Task A_destination_that_fails_is_its_own_error_not_a_broken_download()
    {
        AnswerSignedUrl();
        _server.Given(Request.Create().WithPath(DownloadPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody(Bytes(200_000)));
        using var client = _server.Client();

        var ex = await Assert.ThrowsAsync<IOException>(() => client.Storage.Bucket(BucketId).DownloadToAsync(FileId, new FullDisk(), cancellationToken: Wire.Ct));

        Assert.Equal("No space left on device", ex.Message);
    }

    /// <summary>A destination that takes 1000 bytes, then fails as a full disk does.</summary>
    private sealed class FullDisk : MemoryStream
    {
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            Length + buffer.Length > 1000 ? ValueTask.FromException(new IOException("No space left on device")) : base.WriteAsync(buffer, cancellationToken);
    }

    [Fact]
    public async Task A_public_files_url_without_a_token_downloads_without_one()
    {
        _server.Given(Request.Create().WithPath($"{FilePath()}/signed-url").UsingPost()).RespondWith(Wire.Json(200,
            $$"""{"success":true,"url":"{{DownloadPath}}","warning":"File is public"}"""));
        _server.Given(Request.Create().WithPath(DownloadPath).UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody([1, 2, 3]));
        using var client = _server.Client();

        await using var stream = await client.Storage.Bucket(BucketId).OpenReadAsync(FileId, Wire.Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Wire.Ct);

        Assert.Equal(new byte[] { 1, 2, 3 }, copy.ToArray());
        Assert.True(string.IsNullOrEmpty(_server.Requests()[1].RawQuery));
    }

    [Fact]
    public async Task A_download_that_fails_before_its_body_is_retried_like_any_read()
    {
        AnswerSignedUrl();
        var downloads = _server.AnswerInOrder(DownloadPath, () => Wire.Message(503, Unavailable), () => new WireMock.ResponseMessage
        {
            StatusCode = 200,
            BodyData = new WireMock.Util.BodyData { DetectedBodyType = WireMock.Types.BodyType.Bytes, BodyAsBytes = [9, 8, 7] },
        });
        using var client = _server.Client();
        using var destination = new MemoryStream();

        await client.Storage.Bucket(BucketId).DownloadToAsync(FileId, destination, cancellationToken: Wire.Ct);

        Assert.Equal(2, downloads.Count);
        Assert.Equal(new byte[] { 9, 8, 7 }, destination.ToArray());
    }

    [Fact]
    public async Task A_download_of_a_missing_file_is_not_found()
    {
        AnswerSignedUrl();
        _server.Given(Request.Create().WithPath(DownloadPath).UsingGet()).RespondWith(Wire.Json(404, """{"error":"File not found"}"""));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseNotFoundException>(() => client.Storage.Bucket(BucketId).OpenReadAsync(FileId, Wire.Ct));

        Assert.Equal("HTTP 404: File not found", ex.Message);
    }

    /// <summary>A client whose downloads go to <paramref name="downloads"/> and everything else to the WireMock server.</summary>
    private MudbaseClient ClientWithDownloadsFrom(RawTcpServer downloads, TimeSpan timeout) =>
        Wire.Client(_server.BaseUrl(), new RoutingHandler(path => path.EndsWith("/download", StringComparison.Ordinal) ? downloads.Url : null),
            TimeProvider.System, o => o.Timeout = timeout);

    private static string Head(int contentLength, int bodyBytes) =>
        $"HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {contentLength}\r\n\r\n" + new string('a', bodyBytes);

    [Fact]
    public async Task Open_read_returns_the_body_as_it_arrives_and_only_the_caller_bounds_the_rest()
    {
        AnswerSignedUrl();
        await using var downloads = new RawTcpServer(RawBehaviour.WriteThenStall, Head(contentLength: 1000, bodyBytes: 100));
        using var client = ClientWithDownloadsFrom(downloads, timeout: TimeSpan.FromMilliseconds(300));

        // Buffering would wait for 900 bytes that never come; the body is handed over at its headers.
        await using var stream = await client.Storage.Bucket(BucketId).OpenReadAsync(FileId, Wire.Ct).WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct);
        await Task.Delay(600, Wire.Ct); // past the per-attempt timeout, which covered only the wait for the headers

        var buffer = new byte[100];
        await stream.ReadExactlyAsync(buffer, Wire.Ct);
        using var reader = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await stream.ReadExactlyAsync(new byte[100], reader.Token));

        Assert.All(buffer, b => Assert.Equal((byte)'a', b));
        Assert.Equal(1000, stream.Length);
    }

    [Fact]
    public async Task A_connection_reset_in_the_middle_of_a_download_is_a_transport_error_never_a_short_file()
    {
        AnswerSignedUrl();
        await using var downloads = new RawTcpServer(RawBehaviour.WriteThenReset, Head(contentLength: 1000, bodyBytes: 100));
        using var client = ClientWithDownloadsFrom(downloads, timeout: TimeSpan.FromSeconds(5));
        using var destination = new MemoryStream();
        var progress = new ProgressLog();

        var ex = await Errors.ExpectAsync<MudbaseTransportException>(() => client.Storage.Bucket(BucketId).DownloadToAsync(FileId, destination, progress, Wire.Ct));

        Assert.Contains($"GET {DownloadPath} broke off after 100 of 1000 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not the whole file", ex.Message, StringComparison.Ordinal);
        Assert.Single(downloads.Requests);
        Assert.DoesNotContain(progress.Reports, p => p.BytesTransferred == 1000);
        Assert.DoesNotContain("a%2Bb", ex.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_ends_before_its_length_is_a_transport_error()
    {
        AnswerSignedUrl();
        await using var downloads = new RawTcpServer(RawBehaviour.WriteThenReset, "HTTP/1.1 200 OK\r\nContent-Length: 50\r\nConnection: close\r\n\r\n" + new string('b', 10));
        using var client = ClientWithDownloadsFrom(downloads, timeout: TimeSpan.FromSeconds(5));

        await using var stream = await client.Storage.Bucket(BucketId).OpenReadAsync(FileId, Wire.Ct);
        var ex = await Errors.ExpectAsync<MudbaseTransportException>(() => stream.CopyToAsync(Stream.Null, Wire.Ct));

        Assert.Contains("broke off after 10 of 50 bytes", ex.Message, StringComparison.Ordinal);
    }
}
