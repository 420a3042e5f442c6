using System.Net;
using System.Text.Json.Nodes;
using Mudbase.Storage;
using Mudbase.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Mudbase.Tests.Contract;

/// <summary>
/// <c>client.Storage</c> on the wire (CONTRACT.md, Storage): what each call sends (verb, path, query, body), every answer
/// shape it reads (both of upload, signed URL and direct upload), its error bodies (413, the 403 for users), and the
/// arguments it refuses before sending anything. Streaming, progress and re-sends are in <see cref="StorageTransferTests"/>.
/// </summary>
public sealed class StorageContractTests : IDisposable
{
    internal const string BucketId = "6863b2a0e129932fbb7a3001";
    internal const string FileId = "6863b2a0e129932fbb7a4001";
    internal const string ApiKey = "ak_test_storage_key";
    internal static readonly string BucketsPath = $"/api/bucket/projects/{Wire.ProjectId}/buckets";
    internal static readonly string FilesPath = $"{BucketsPath}/{BucketId}/files";

    /// <summary>An upload's answer as the showcases and the blog read it.</summary>
    internal const string UploadAnswer = """
        {"success":true,"files":[{"id":"6863b2a0e129932fbb7a4001","originalName":"photo.jpg","fileName":"1719912345-photo.jpg","size":5,
         "mimetype":"image/jpeg","url":"https://cdn.mudbase.dev/p/photo.jpg","isPublic":true,"uploadedAt":"2025-07-02T09:30:00.000Z","etag":"abc"}]}
        """;

    /// <summary>The spec's shape: <c>{message, file:FileMetadata}</c>, with FileMetadata's own casing.</summary>
    private const string SpecUploadAnswer = """
        {"message":"File uploaded successfully","file":{"_id":"6863b2a0e129932fbb7a4001","filename":"1719912345-photo.jpg","originalName":"photo.jpg",
         "mimeType":"image/jpeg","size":"5","url":"/api/files/6863b2a0e129932fbb7a4001","publicUrl":"https://cdn.mudbase.dev/p/photo.jpg",
         "bucket":"6863b2a0e129932fbb7a3001","projectId":"685ad30be129932fbb7a1047","isPublic":false,"uploadedBy":{"_id":"685acbe0e129932fbb7a0fc2","email":"ada@northwind.dev"},
         "createdAt":"2025-07-02T09:30:00.000Z","checksum":"sha256:00"}}
        """;

    private const string Bucket = """
        {"_id":"6863b2a0e129932fbb7a3001","name":"avatars","projectId":"685ad30be129932fbb7a1047","isPublic":false,"settings":{"maxFileSize":1048576},
         "createdAt":"2025-07-01T08:00:00.000Z","updatedAt":"2025-07-01T09:00:00.000Z","fileCount":3}
        """;

    internal const string OrgOnly = """{"required":["owner","admin","developer"],"current":"viewer"}""";
    private const string TooLarge = """{"error":"File size exceeds limit of 52428800 bytes","maxFileUploadBytes":52428800}""";

    private readonly WireMockServer _server = Wire.StartServer();

    public void Dispose() => _server.Dispose();

    internal static string FilePath(string fileId = FileId) => $"{FilesPath}/{fileId}";

    /// <summary>Answers every call of this class with its documented success.</summary>
    private void AnswerEveryCall()
    {
        _server.Given(Request.Create().WithPath(BucketsPath).UsingGet()).RespondWith(Wire.Json(200,
            $$"""{"success":true,"buckets":[{{Bucket}}],"pagination":{"page":1,"limit":20,"total":1,"totalPages":1} }"""));
        _server.Given(Request.Create().WithPath(BucketsPath).UsingPost()).RespondWith(Wire.Json(201, $$"""{"success":true,"message":"Bucket created","bucket":{{Bucket}}}"""));
        _server.Given(Request.Create().WithPath($"{BucketsPath}/{BucketId}").UsingGet()).RespondWith(Wire.Json(200, $$"""{"success":true,"message":"ok","bucket":{{Bucket}}}"""));
        _server.Given(Request.Create().WithPath($"{BucketsPath}/{BucketId}").UsingPatch()).RespondWith(Wire.Json(200, $$"""{"success":true,"message":"Bucket updated","bucket":{{Bucket}}}"""));
        _server.Given(Request.Create().WithPath($"{BucketsPath}/{BucketId}").UsingDelete()).RespondWith(Wire.Json(200, """{"message":"Bucket deleted"}"""));
        _server.Given(Request.Create().WithPath(FilesPath).UsingGet()).RespondWith(Wire.Json(200, """{"files":[],"pagination":{"page":1,"limit":20,"total":0,"totalPages":0}}"""));
        _server.Given(Request.Create().WithPath(FilesPath).UsingPost()).RespondWith(Wire.Json(201, UploadAnswer));
        _server.Given(Request.Create().WithPath(FilePath()).UsingGet()).RespondWith(Wire.Json(200, $$"""{"success":true,"file":{{ExtractFile(SpecUploadAnswer)}}}"""));
        _server.Given(Request.Create().WithPath(FilePath()).UsingDelete()).RespondWith(Wire.Json(200, """{"message":"File deleted successfully"}"""));
        _server.Given(Request.Create().WithPath($"{FilePath()}/signed-url").UsingPost()).RespondWith(Wire.Json(200,
            """{"success":true,"url":"https://cloud.mudbase.dev/api/bucket/files/6863b2a0e129932fbb7a4001/download?token=t0k","expiresAt":"2025-07-02T10:30:00.000Z","expiresIn":3600}"""));
        _server.Given(Request.Create().WithPath($"/api/files/download/{FileId}").UsingGet()).RespondWith(Wire.Json(200,
            """{"url":"/api/bucket/files/6863b2a0e129932fbb7a4001/download?token=t0k","expiresIn":600,"isPublic":false}"""));
    }

    private static string ExtractFile(string specAnswer) => JsonNode.Parse(specAnswer)!["file"]!.ToJsonString();

    private static Task Call(MudbaseClient client, string call)
    {
        var files = client.Storage.Bucket(BucketId);
        return call switch
        {
            "list_buckets" => client.Storage.ListBucketsAsync(cancellationToken: Wire.Ct),
            "get_bucket" => client.Storage.GetBucketAsync(BucketId, cancellationToken: Wire.Ct),
            "create_bucket" => client.Storage.CreateBucketAsync(new CreateBucketRequest { Name = "avatars" }, Wire.Ct),
            "update_bucket" => client.Storage.UpdateBucketAsync(BucketId, new UpdateBucketRequest { IsPublic = true }, Wire.Ct),
            "delete_bucket" => client.Storage.DeleteBucketAsync(BucketId, cancellationToken: Wire.Ct),
            "list_files" => files.ListAsync(cancellationToken: Wire.Ct),
            "get_file" => files.GetAsync(FileId, Wire.Ct),
            "delete_file" => files.DeleteAsync(FileId, Wire.Ct),
            "signed_url" => files.CreateSignedUrlAsync(FileId, TimeSpan.FromMinutes(10), Wire.Ct),
            "download_url" => client.Storage.GetDownloadUrlAsync(FileId, TimeSpan.FromMinutes(10), Wire.Ct),
            "upload" => files.UploadAsync(new MemoryStream("hello"u8.ToArray()), "photo.jpg", cancellationToken: Wire.Ct),
            _ => throw new ArgumentOutOfRangeException(nameof(call)),
        };
    }

    // What each call sends.

    [Theory]
    [InlineData("list_buckets", "GET", "/api/bucket/projects/685ad30be129932fbb7a1047/buckets", "page=1&limit=20")]
    [InlineData("get_bucket", "GET", "/api/bucket/projects/685ad30be129932fbb7a1047/buckets/6863b2a0e129932fbb7a3001", "")]
    [InlineData("create_bucket", "POST", "/api/bucket/projects/685ad30be129932fbb7a1047/buckets", "")]
    [InlineData("update_bucket", "PATCH", "/api/bucket/projects/685ad30be129932fbb7a1047/buckets/6863b2a0e129932fbb7a3001", "")]
    [InlineData("delete_bucket", "DELETE", "/api/bucket/projects/685ad30be129932fbb7a1047/buckets/6863b2a0e129932fbb7a3001", "")]
    [InlineData("list_files", "GET", "/api/bucket/projects/685ad30be129932fbb7a1047/buckets/6863b2a0e129932fbb7a3001/files", "page=1&limit=20")]
    [InlineData("get_file", "GET", "/api/bucket/projects/685ad30be129932fbb7a1047/buckets/6863b2a0e129932fbb7a3001/files/6863b2a0e129932fbb7a4001", "")]
    [InlineData("delete_file", "DELETE", "/api/bucket/projects/685ad30be129932fbb7a1047/buckets/6863b2a0e129932fbb7a3001/files/6863b2a0e129932fbb7a4001", "")]
    [InlineData("signed_url", "POST", "/api/bucket/projects/685ad30be129932fbb7a1047/buckets/6863b2a0e129932fbb7a3001/files/6863b2a0e129932fbb7a4001/signed-url", "")]
    [InlineData("download_url", "GET", "/api/files/download/6863b2a0e129932fbb7a4001", "expiresIn=600")]
    [InlineData("upload", "POST", "/api/bucket/projects/685ad30be129932fbb7a1047/buckets/6863b2a0e129932fbb7a3001/files", "")]
    public async Task Each_call_sends_its_verb_path_and_query_with_the_api_key(string call, string method, string path, string query)
    {
        AnswerEveryCall();
        using var client = _server.Client(o => o.ApiKey = ApiKey);

        await Call(client, call);

        var sent = Assert.Single(_server.Requests());
        Assert.Equal(method, sent.Method);
        Assert.Equal(path, sent.Path);
        Assert.Equal(query, (sent.RawQuery ?? "").TrimStart('?'));
        Assert.Equal(ApiKey, sent.Header("X-API-Key"));
        Assert.Null(sent.Header("Authorization"));
    }

    [Fact]
    public async Task List_calls_send_their_page_size_and_filters()
    {
        AnswerEveryCall();
        using var client = _server.Client();

        await client.Storage.ListBucketsAsync(new BucketListOptions { Page = 2, PageSize = 50, Search = "av ars" }, Wire.Ct);
        await client.Storage.Bucket(BucketId).ListAsync(new FileListOptions { Page = 3, PageSize = 5, Search = "photo", Type = "image/png" }, Wire.Ct);

        var sent = _server.Requests();
        Assert.Equal("page=2&limit=50&search=av%20ars", sent[0].RawQuery!.TrimStart('?'));
        Assert.Equal("page=3&limit=5&search=photo&type=image%2Fpng", sent[1].RawQuery!.TrimStart('?'));
    }

    [Fact]
    public async Task Bucket_writes_send_only_what_is_set()
    {
        AnswerEveryCall();
        using var client = _server.Client();

        await client.Storage.CreateBucketAsync(new CreateBucketRequest { Name = "avatars", IsPublic = true, Settings = new JsonObject { ["maxFileSize"] = 1024 } }, Wire.Ct);
        await client.Storage.CreateBucketAsync(new CreateBucketRequest { Name = "docs" }, Wire.Ct);
        await client.Storage.UpdateBucketAsync(BucketId, new UpdateBucketRequest { Name = "faces" }, Wire.Ct);

        Assert.Equal(
            new[] { """{"name":"avatars","isPublic":true,"settings":{"maxFileSize":1024}}""", """{"name":"docs"}""", """{"name":"faces"}""" },
            _server.Requests().Select(r => r.Body));
    }

    [Theory]
    [InlineData(600_000, 600)]
    [InlineData(1_500, 2)]
    [InlineData(1, 1)]
    public async Task A_signed_url_asks_for_its_lifetime_in_whole_seconds_rounded_up(int milliseconds, int seconds)
    {
        AnswerEveryCall();
        using var client = _server.Client();

        await client.Storage.Bucket(BucketId).CreateSignedUrlAsync(FileId, TimeSpan.FromMilliseconds(milliseconds), Wire.Ct);

        var sent = Assert.Single(_server.Requests());
        Assert.Equal($$"""{"expiresIn":{{seconds}}}""", sent.Body);
        Assert.StartsWith("application/json", sent.Header("Content-Type"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_download_url_without_a_lifetime_leaves_it_to_the_server()
    {
        AnswerEveryCall();
        using var client = _server.Client();

        var url = await client.Storage.GetDownloadUrlAsync(FileId, cancellationToken: Wire.Ct);

        Assert.True(string.IsNullOrEmpty(Assert.Single(_server.Requests()).RawQuery));
        Assert.Equal(new Uri(_server.BaseUrl(), "/api/bucket/files/6863b2a0e129932fbb7a4001/download?token=t0k"), url);
    }

    [Fact]
    public async Task Calls_as_a_signed_in_user_carry_the_bearer_token()
    {
        AnswerEveryCall();
        _server.Answer(Wire.AnonymousPath, Wire.Json(200, Bodies.AnonymousSession()));
        using var client = _server.Client(o => o.ApiKey = ApiKey);
        await client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);

        await client.Storage.Bucket(BucketId).ListAsync(cancellationToken: Wire.Ct);
        await client.Storage.Bucket(BucketId).UploadAsync(new MemoryStream("x"u8.ToArray()), "a.txt", cancellationToken: Wire.Ct);

        Assert.All(_server.Requests().Skip(1), r => Assert.Equal($"Bearer {Bodies.AccessToken}", r.Header("Authorization")));
    }

    // The answers it reads.

    [Fact]
    public async Task An_upload_answer_of_files_is_read_whole_and_keeps_what_it_does_not_know()
    {
        AnswerEveryCall();
        using var client = _server.Client();

        var file = await client.Storage.Bucket(BucketId).UploadAsync(new MemoryStream("hello"u8.ToArray()), "photo.jpg", cancellationToken: Wire.Ct);

        Assert.Equal(FileId, file.Id);
        Assert.Equal("photo.jpg", file.OriginalName);
        Assert.Equal("1719912345-photo.jpg", file.FileName);
        Assert.Equal("image/jpeg", file.ContentType);
        Assert.Equal(5, file.Size);
        Assert.Equal(new Uri("https://cdn.mudbase.dev/p/photo.jpg"), file.Url);
        Assert.True(file.IsPublic);
        Assert.Equal(BucketId, file.BucketId);
        Assert.Equal(new DateTimeOffset(2025, 7, 2, 9, 30, 0, TimeSpan.Zero), file.UploadedAt);
        Assert.Equal("abc", file.AdditionalProperties["etag"].GetString());
    }

    [Fact]
    public async Task The_spec_upload_answer_of_one_file_metadata_is_read_as_well()
    {
        _server.Given(Request.Create().WithPath(FilesPath).UsingPost()).RespondWith(Wire.Json(201, SpecUploadAnswer));
        using var client = _server.Client();

        var file = await client.Storage.Bucket(BucketId).UploadAsync(new MemoryStream("hello"u8.ToArray()), "photo.jpg", cancellationToken: Wire.Ct);

        Assert.Equal(FileId, file.Id);
        Assert.Equal("1719912345-photo.jpg", file.FileName);
        Assert.Equal("image/jpeg", file.ContentType);
        Assert.Equal(5, file.Size);
        Assert.Equal(new Uri("/api/files/6863b2a0e129932fbb7a4001", UriKind.Relative), file.Url);
        Assert.Equal(new Uri("https://cdn.mudbase.dev/p/photo.jpg"), file.PublicUrl);
        Assert.False(file.IsPublic);
        Assert.Equal(Wire.ProjectId, file.ProjectId);
        Assert.Equal("685acbe0e129932fbb7a0fc2", file.UploadedBy);
        Assert.Equal(new DateTimeOffset(2025, 7, 2, 9, 30, 0, TimeSpan.Zero), file.UploadedAt);
        Assert.Equal("sha256:00", file.AdditionalProperties["checksum"].GetString());
    }

    [Theory]
    [InlineData("envelope")]
    [InlineData("bare")]
    public async Task Get_reads_the_file_in_its_envelope_or_bare(string shape)
    {
        var file = ExtractFile(SpecUploadAnswer);
        _server.Given(Request.Create().WithPath(FilePath()).UsingGet()).RespondWith(Wire.Json(200, shape == "bare" ? file : $$"""{"success":true,"file":{{file}}}"""));
        using var client = _server.Client();

        var got = await client.Storage.Bucket(BucketId).GetAsync(FileId, Wire.Ct);

        Assert.Equal((FileId, "photo.jpg", 5L), (got.Id, got.OriginalName!, got.Size!.Value));
    }

    [Fact]
    public async Task Buckets_are_read_with_their_settings_and_paging()
    {
        AnswerEveryCall();
        using var client = _server.Client();

        var page = await client.Storage.ListBucketsAsync(cancellationToken: Wire.Ct);
        var one = await client.Storage.GetBucketAsync(BucketId, cancellationToken: Wire.Ct);

        var bucket = Assert.Single(page.Items);
        Assert.Equal((1, 20, 1L, 1, false), (page.Page, page.PageSize, page.Total, page.TotalPages, page.HasMore));
        Assert.Equal((BucketId, "avatars", Wire.ProjectId, false), (bucket.Id, bucket.Name!, bucket.ProjectId!, bucket.IsPublic));
        Assert.Equal(1048576, (int)bucket.Settings!["maxFileSize"]!);
        Assert.Equal(new DateTimeOffset(2025, 7, 1, 9, 0, 0, TimeSpan.Zero), bucket.UpdatedAt);
        Assert.Equal(3, bucket.AdditionalProperties["fileCount"].GetInt32());
        Assert.Equal(BucketId, one.Id);
    }

    [Fact]
    public async Task A_bucket_with_project_and_id_is_read_as_well()
    {
        _server.Given(Request.Create().WithPath(BucketsPath).UsingGet()).RespondWith(Wire.Json(200,
            """{"success":true,"buckets":[{"id":"b1","name":"docs","project":{"_id":"685ad30be129932fbb7a1047"},"isPublic":true}],"pagination":{"page":1,"limit":20,"total":1,"pages":1}}"""));
        using var client = _server.Client();

        var bucket = Assert.Single((await client.Storage.ListBucketsAsync(cancellationToken: Wire.Ct)).Items);

        Assert.Equal(("b1", Wire.ProjectId, true), (bucket.Id, bucket.ProjectId!, bucket.IsPublic));
    }

    [Theory]
    [InlineData("""{"files":[{"_id":"f1"},{"_id":"f2"}],"pagination":{"page":2,"limit":2,"total":5,"totalPages":3}}""")]
    [InlineData("""{"files":[{"_id":"f1"},{"_id":"f2"}],"total":5,"page":2,"limit":2}""")]
    public async Task A_file_page_is_read_from_its_pagination_or_the_flat_shape(string answer)
    {
        _server.Given(Request.Create().WithPath(FilesPath).UsingGet()).RespondWith(Wire.Json(200, answer));
        using var client = _server.Client();

        var page = await client.Storage.Bucket(BucketId).ListAsync(new FileListOptions { Page = 2, PageSize = 2 }, Wire.Ct);

        Assert.Equal(new[] { "f1", "f2" }, page.Items.Select(f => f.Id));
        Assert.Equal((2, 2, 5L, 3, true), (page.Page, page.PageSize, page.Total, page.TotalPages, page.HasMore));
        Assert.All(page.Items, f => Assert.Equal(BucketId, f.BucketId));
    }

    [Fact]
    public async Task ListAll_fetches_page_after_page_until_none_follows()
    {
        _server.Given(Request.Create().WithPath(FilesPath).UsingGet().WithParam("page", "1")).RespondWith(Wire.Json(200,
            """{"files":[{"_id":"f1"},{"_id":"f2"}],"pagination":{"page":1,"limit":2,"total":3,"totalPages":2}}"""));
        _server.Given(Request.Create().WithPath(FilesPath).UsingGet().WithParam("page", "2")).RespondWith(Wire.Json(200,
            """{"files":[{"_id":"f3"}],"pagination":{"page":2,"limit":2,"total":3,"totalPages":2}}"""));
        using var client = _server.Client();

        var ids = new List<string>();
        await foreach (var file in client.Storage.Bucket(BucketId).ListAllAsync(new FileListOptions { PageSize = 2 }, Wire.Ct))
        {
            ids.Add(file.Id);
        }

        Assert.Equal(new[] { "f1", "f2", "f3" }, ids);
        Assert.Equal(new[] { "page=1&limit=2", "page=2&limit=2" }, _server.Requests().Select(r => r.RawQuery!.TrimStart('?')));
    }

    [Theory]
    [InlineData("""{"success":true,"url":"https://cloud.mudbase.dev/api/bucket/files/f/download?token=abc","expiresAt":"2025-07-02T10:30:00.000Z","expiresIn":600}""", "https://cloud.mudbase.dev/api/bucket/files/f/download?token=abc", null)]
    [InlineData("""{"success":true,"signedUrl":"https://cloud.mudbase.dev/api/bucket/files/f/download?token=abc","expiresAt":"2025-07-02T10:30:00.000Z","expiresIn":600}""", "https://cloud.mudbase.dev/api/bucket/files/f/download?token=abc", null)]
    [InlineData("""{"success":true,"url":"/api/files/public/f","warning":"File is public; returning its permanent URL"}""", "/api/files/public/f", "File is public; returning its permanent URL")]
    public async Task A_signed_url_is_read_from_url_or_signedUrl_and_made_absolute(string answer, string expected, string? warning)
    {
        _server.Given(Request.Create().WithPath($"{FilePath()}/signed-url").UsingPost()).RespondWith(Wire.Json(200, answer));
        using var client = _server.Client();

        var signed = await client.Storage.Bucket(BucketId).CreateSignedUrlAsync(FileId, TimeSpan.FromMinutes(10), Wire.Ct);

        Assert.Equal(new Uri(_server.BaseUrl(), expected), signed.Url);
        Assert.Equal(warning, signed.Warning);
        Assert.Equal(warning is null ? new DateTimeOffset(2025, 7, 2, 10, 30, 0, TimeSpan.Zero) : null, signed.ExpiresAt);
        Assert.Equal(warning is null ? TimeSpan.FromMinutes(10) : null, signed.ExpiresIn);
        Assert.DoesNotContain("abc", signed.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_upload_answer_is_read_whatever_the_case_of_its_names_and_null_entries_are_passed_over()
    {
        _server.Given(Request.Create().WithPath(FilesPath).UsingPost()).RespondWith(Wire.Json(201,
            """{"SUCCESS":true,"note":{"files":[]},"Files":[null,{"_id":"f1","originalName":"a.bin"},{"ID":"f2","OriginalName":"b.bin"}]}"""));
        using var client = _server.Client();
        var bucket = client.Storage.Bucket(BucketId);

        var one = await bucket.UploadAsync(new MemoryStream([1]), "a.bin", cancellationToken: Wire.Ct);
        var both = await bucket.UploadAsync([new FileUpload(new MemoryStream([1]), "a.bin"), new FileUpload(new MemoryStream([2]), "b.bin")], cancellationToken: Wire.Ct);

        Assert.Equal(("f1", "a.bin"), (one.Id, one.OriginalName));
        Assert.Equal(new[] { ("f1", "a.bin"), ("f2", "b.bin") }, both.Select(f => (f.Id, f.OriginalName!)));
    }

    [Theory]
    [InlineData("<html><body>502 Bad Gateway</body></html>")]
    [InlineData("""{"success":true,"files":[]}""")]
    [InlineData("""{"success":true,"files":[null]}""")]
    [InlineData("""{"success":true,"files":"f1"}""")]
    [InlineData("""{"success":true,"files":null}""")]
    [InlineData("""[{"_id":"f1"}]""")]
    [InlineData("null")]
    [InlineData("""{"success":true,"files":[{"_id":"f1"}]} trailing""")]
    [InlineData("""{"success":true}""")]
    [InlineData("""{"success":true,"files":[{"originalName":"no id"}]}""")]
    public async Task A_strange_upload_answer_is_a_MudbaseException_with_the_status_never_a_JsonException(string answer)
    {
        _server.Given(Request.Create().WithPath(FilesPath).UsingPost()).RespondWith(Wire.Json(201, answer));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseException>(() => client.Storage.Bucket(BucketId).UploadAsync(new MemoryStream([1]), "a.bin", cancellationToken: Wire.Ct));

        Assert.Equal(HttpStatusCode.Created, ex.StatusCode);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(ex.InnerException);
    }

    // The errors it maps.

    [Fact]
    public async Task A_413_is_a_file_too_large_exception_with_the_limit()
    {
        _server.Given(Request.Create().WithPath(FilesPath).UsingPost()).RespondWith(Wire.Json(413, TooLarge));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseFileTooLargeException>(() => client.Storage.Bucket(BucketId).UploadAsync(new MemoryStream([1]), "a.bin", cancellationToken: Wire.Ct));

        Assert.Equal(52428800, ex.MaxFileUploadBytes);
        Assert.Equal((HttpStatusCode)413, ex.StatusCode);
        Assert.Contains("File size exceeds limit of 52428800 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Single(_server.Requests());
    }

    [Fact]
    public async Task A_413_from_a_proxy_without_a_body_is_a_file_too_large_exception_without_a_limit()
    {
        _server.Given(Request.Create().WithPath(FilesPath).UsingPost()).RespondWith(Response.Create().WithStatusCode(413).WithBody("<html>413 Request Entity Too Large</html>"));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseFileTooLargeException>(() => client.Storage.Bucket(BucketId).UploadAsync(new MemoryStream([1]), "a.bin", cancellationToken: Wire.Ct));

        Assert.Null(ex.MaxFileUploadBytes);
    }

    [Theory]
    [InlineData("upload", "Uploading files")]
    [InlineData("delete_file", "Deleting a file")]
    [InlineData("create_bucket", "Creating a bucket")]
    [InlineData("update_bucket", "Changing a bucket")]
    [InlineData("delete_bucket", "Deleting a bucket")]
    public async Task A_users_403_on_an_org_call_says_it_needs_an_api_key_or_an_org_role(string call, string what)
    {
        _server.Answer(Wire.AnonymousPath, Wire.Json(200, Bodies.AnonymousSession()));
        _server.Given(Request.Create().WithPath(BucketsPath + "*").UsingAnyMethod()).RespondWith(Wire.Json(403, OrgOnly));
        using var client = _server.Client();
        await client.Auth.CreateAnonymousAsync(cancellationToken: Wire.Ct);

        var ex = await Errors.ExpectAsync<MudbaseForbiddenException>(() => Call(client, call));

        Assert.StartsWith($"HTTP 403: {what} needs an API key or an org role", ex.Message, StringComparison.Ordinal);
        Assert.Contains("ApiKey", ex.Message, StringComparison.Ordinal);
        Assert.Equal(new[] { "owner", "admin", "developer" }, ex.RequiredRoles);
        Assert.Equal("viewer", ex.UserRole);
    }

    [Fact]
    public async Task A_403_on_a_read_or_a_feature_gate_keeps_the_servers_words()
    {
        _server.Given(Request.Create().WithPath(FilesPath).UsingGet()).RespondWith(Wire.Json(403, """{"error":"Access denied"}"""));
        _server.Given(Request.Create().WithPath(FilesPath).UsingPost()).RespondWith(Wire.Json(403,
            """{"success":false,"error":"feature_not_allowed","resource":"storage","action":"upload","message":"Upgrade your plan"}"""));
        using var client = _server.Client();
        var files = client.Storage.Bucket(BucketId);

        var read = await Errors.ExpectAsync<MudbaseForbiddenException>(() => files.ListAsync(cancellationToken: Wire.Ct));
        var gated = await Errors.ExpectAsync<MudbaseForbiddenException>(() => files.UploadAsync(new MemoryStream([1]), "a.bin", cancellationToken: Wire.Ct));

        Assert.Equal("HTTP 403: Access denied", read.Message);
        Assert.Equal("HTTP 403: feature_not_allowed", gated.Message);
    }

    [Fact]
    public async Task A_download_url_for_a_missing_file_is_not_found()
    {
        _server.Given(Request.Create().WithPath($"/api/files/download/{FileId}")).RespondWith(Wire.Json(404, """{"error":"File not found"}"""));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseNotFoundException>(() => client.Storage.GetDownloadUrlAsync(FileId, cancellationToken: Wire.Ct));

        Assert.Equal("HTTP 404: File not found", ex.Message);
    }

    // The arguments it refuses.

    public static TheoryData<string, string> BadArguments() => new(ArgumentCases.Keys.Select(key => (key, ArgumentCases[key].ParamName)));

    private static readonly Stream Readable = new MemoryStream([1]);

    private static MemoryStream Unreadable()
    {
        var closed = new MemoryStream();
        closed.Dispose();
        return closed;
    }

    private static readonly Dictionary<string, (string ParamName, Func<IMudbaseClient, Task> Call)> ArgumentCases = new()
    {
        ["bucket: blank id"] = ("bucketId", c => Task.FromResult(c.Storage.Bucket(" "))),
        ["bucket: blank project"] = ("projectId", c => Task.FromResult(c.Storage.Bucket(BucketId, ""))),
        ["get bucket: null id"] = ("bucketId", c => c.Storage.GetBucketAsync(null!)),
        ["delete bucket: blank id"] = ("bucketId", c => c.Storage.DeleteBucketAsync("")),
        ["create bucket: null request"] = ("request", c => c.Storage.CreateBucketAsync(null!)),
        ["create bucket: blank name"] = ("request.Name", c => c.Storage.CreateBucketAsync(new CreateBucketRequest { Name = " " })),
        ["update bucket: changes nothing"] = ("request", c => c.Storage.UpdateBucketAsync(BucketId, new UpdateBucketRequest())),
        ["list buckets: page 0"] = ("options.Page", c => c.Storage.ListBucketsAsync(new BucketListOptions { Page = 0 })),
        ["list buckets: page size 101"] = ("options.PageSize", c => c.Storage.ListBucketsAsync(new BucketListOptions { PageSize = 101 })),
        ["download url: blank id"] = ("fileId", c => c.Storage.GetDownloadUrlAsync("")),
        ["download url: zero lifetime"] = ("expiresIn", c => c.Storage.GetDownloadUrlAsync(FileId, TimeSpan.Zero)),
        ["signed url: negative lifetime"] = ("expiresIn", c => c.Storage.Bucket(BucketId).CreateSignedUrlAsync(FileId, TimeSpan.FromSeconds(-1))),
        ["signed url: blank id"] = ("fileId", c => c.Storage.Bucket(BucketId).CreateSignedUrlAsync(" ", TimeSpan.FromMinutes(1))),
        ["upload: null stream"] = ("content", c => c.Storage.Bucket(BucketId).UploadAsync((Stream)null!, "a.txt")),
        ["upload: unreadable stream"] = ("content", c => c.Storage.Bucket(BucketId).UploadAsync(Unreadable(), "a.txt")),
        ["upload: empty name"] = ("fileName", c => c.Storage.Bucket(BucketId).UploadAsync(Readable, "")),
        ["upload: name with a folder"] = ("fileName", c => c.Storage.Bucket(BucketId).UploadAsync(Readable, "photos/a.jpg")),
        ["upload: name with a backslash"] = ("fileName", c => c.Storage.Bucket(BucketId).UploadAsync(Readable, "..\\a.jpg")),
        ["upload: name with a control character"] = ("fileName", c => c.Storage.Bucket(BucketId).UploadAsync(Readable, "a\nb.jpg")),
        ["upload: name with a quote"] = ("fileName", c => c.Storage.Bucket(BucketId).UploadAsync(Readable, "say \"hi\".txt")),
        ["upload: not a media type"] = ("options.ContentType", c => c.Storage.Bucket(BucketId).UploadAsync(Readable, "a.jpg", new UploadOptions { ContentType = "jpeg" })),
        ["upload many: null list"] = ("files", c => c.Storage.Bucket(BucketId).UploadAsync((IEnumerable<FileUpload>)null!)),
        ["upload many: none"] = ("files", c => c.Storage.Bucket(BucketId).UploadAsync(Array.Empty<FileUpload>())),
        ["upload many: eleven"] = ("files", c => c.Storage.Bucket(BucketId).UploadAsync(Enumerable.Range(0, 11).Select(i => new FileUpload(Readable, $"f{i}.txt")))),
        ["upload many: a null file"] = ("files[1]", c => c.Storage.Bucket(BucketId).UploadAsync([new FileUpload(Readable, "a.txt"), null!])),
        ["upload many: a bad name"] = ("files[0].FileName", c => c.Storage.Bucket(BucketId).UploadAsync([new FileUpload(Readable, "/etc/passwd")])),
        ["upload many: a bad type"] = ("files[0].ContentType", c => c.Storage.Bucket(BucketId).UploadAsync([new FileUpload(Readable, "a.txt", "text")])),
        ["upload file: blank path"] = ("path", c => c.Storage.Bucket(BucketId).UploadFileAsync(" ")),
        ["upload file: a folder"] = ("path", c => c.Storage.Bucket(BucketId).UploadFileAsync("/tmp/")),
        ["upload direct: empty name"] = ("fileName", c => c.Storage.Bucket(BucketId).UploadDirectAsync(Readable, "")),
        ["upload direct: negative length"] = ("options.ContentLength", c => c.Storage.Bucket(BucketId).UploadDirectAsync(new NonSeekableStream([1]), "a.bin", new UploadOptions { ContentLength = -1 })),
        ["upload direct: a length the stream does not hold"] = ("options.ContentLength", c => c.Storage.Bucket(BucketId).UploadDirectAsync(new MemoryStream([1, 2]), "a.bin", new UploadOptions { ContentLength = 3 })),
        ["upload: a length the stream does not hold"] = ("options.ContentLength", c => c.Storage.Bucket(BucketId).UploadAsync(new MemoryStream([1, 2]), "a.bin", new UploadOptions { ContentLength = 1 })),
        ["upload many: a length"] = ("options.ContentLength", c => c.Storage.Bucket(BucketId).UploadAsync([new FileUpload(Readable, "a.txt")], new UploadOptions { ContentLength = 1 })),
        ["list files: page 0"] = ("options.Page", c => c.Storage.Bucket(BucketId).ListAsync(new FileListOptions { Page = 0 })),
        ["list all: page size 0"] = ("options.PageSize", c => { _ = c.Storage.Bucket(BucketId).ListAllAsync(new FileListOptions { PageSize = 0 }); return Task.CompletedTask; }),
        ["list files: blank type"] = ("options.Type", c => c.Storage.Bucket(BucketId).ListAsync(new FileListOptions { Type = " " })),
        ["get: blank id"] = ("fileId", c => c.Storage.Bucket(BucketId).GetAsync("")),
        ["delete: blank id"] = ("fileId", c => c.Storage.Bucket(BucketId).DeleteAsync(" ")),
        ["open: blank id"] = ("fileId", c => c.Storage.Bucket(BucketId).OpenReadAsync("")),
        ["download: null destination"] = ("destination", c => c.Storage.Bucket(BucketId).DownloadToAsync(FileId, null!)),
        ["download: read-only destination"] = ("destination", c => c.Storage.Bucket(BucketId).DownloadToAsync(FileId, new MemoryStream([], writable: false))),
    };

    [Theory]
    [MemberData(nameof(BadArguments))]
    public void Wrong_arguments_throw_at_once_naming_the_parameter_and_send_nothing(string @case, string paramName)
    {
        AnswerEveryCall();
        using var client = _server.Client();

        var ex = Assert.ThrowsAny<ArgumentException>(() => { _ = ArgumentCases[@case].Call(client); });

        Assert.Equal(paramName, ex.ParamName);
        Assert.Empty(_server.Requests());
    }

    [Fact]
    public void Without_a_project_in_the_call_or_the_options_a_bucket_handle_throws_naming_where_to_give_one()
    {
        using var client = _server.Client(o => o.ProjectId = null);

        var ex = Assert.Throws<ArgumentException>(() => client.Storage.Bucket(BucketId));

        Assert.Equal("projectId", ex.ParamName);
        Assert.Contains("MudbaseClientOptions.ProjectId", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("photo.JPG", "image/jpeg")]
    [InlineData("report.pdf", "application/pdf")]
    [InlineData("data.tar.gz", "application/gzip")]
    [InlineData("notes", "application/octet-stream")]
    [InlineData("archive.unknownext", "application/octet-stream")]
    [InlineData("trailing.", "application/octet-stream")]
    public async Task Without_a_media_type_the_upload_infers_one_from_the_name(string fileName, string expected)
    {
        AnswerEveryCall();
        using var client = _server.Client();

        await client.Storage.Bucket(BucketId).UploadAsync(new MemoryStream([1, 2]), fileName, cancellationToken: Wire.Ct);

        var sent = Assert.Single(_server.Requests());
        var part = Assert.Single(Multipart.Parse(sent.Header("Content-Type")!, sent.BodyAsBytes!));
        Assert.Equal(expected, part.Header("Content-Type"));
    }

    [Fact]
    public void Wire_helpers_read_a_signed_urls_token_unescaped()
    {
        Assert.Equal("a+b/c", StorageWire.TokenOf("https://x.dev/d?x=1&token=a%2Bb%2Fc"));
        Assert.Equal("a b", StorageWire.TokenOf("/d?token=a+b&x=1#token=no"));
        Assert.Null(StorageWire.TokenOf("https://x.dev/d?x=1&mytoken=a#token=b"));
        Assert.Null(StorageWire.TokenOf("https://x.dev/api/files/public/f"));
    }

    [Theory]
    [InlineData("https://cdn.x.dev/d?x=1&token=eyJ0.e30.c2ln-_~", "https://api.x.dev/api/bucket/files/f1/download?token=eyJ0.e30.c2ln-_~")]
    [InlineData("/d?token=a+b%2fc%41", "https://api.x.dev/api/bucket/files/f1/download?token=a%20b%2FcA")]
    [InlineData("https://x.dev/api/files/public/f1", "https://api.x.dev/api/bucket/files/f1/download")]
    public void A_download_goes_to_the_base_urls_route_with_the_signed_urls_token_as_unescaping_and_escaping_it_gives(string signedUrl, string expected)
    {
        Assert.Equal(expected, StorageWire.DownloadUrlOf("https://api.x.dev/api/bucket/files/", "f1", signedUrl));
    }
}
