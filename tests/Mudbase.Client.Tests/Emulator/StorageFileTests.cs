using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Mudbase.Emulator;

namespace Mudbase.Tests.Emulator;

/// <summary>The file routes of a bucket: multipart upload (an org call), list, get, delete, and the size limit.</summary>
public sealed class StorageFileTests(StorageEmulatorFixture fixture) : IClassFixture<StorageEmulatorFixture>
{
    private const string OrgOnly = """{"required":["owner","admin","developer"],"current":"viewer"}""";

    private MudbaseEmulator Emulator => fixture.Emulator;

    private StorageApi Api => fixture.Api;

    private string Project => Emulator.DefaultProjectId;

    [Fact]
    public async Task An_upload_answers_201_with_each_file_in_the_live_upload_shape_and_reads_back_as_metadata()
    {
        var bucket = Api.NewBucket();

        var answer = await Api.UploadAsync(bucket, Api.Key(), [new UploadPart("Report 2024.pdf", Encoding.UTF8.GetBytes("%PDF-1.7"), "application/pdf")]);

        Assert.Equal(HttpStatusCode.Created, answer.Status);
        Assert.Equal(["success", "files"], StorageApi.Fields(answer.Json));
        var uploaded = Assert.Single(answer.Json.GetProperty("files").EnumerateArray());
        Assert.Equal(["id", "originalName", "fileName", "size", "mimetype", "url", "isPublic", "uploadedAt"], StorageApi.Fields(uploaded));
        var id = uploaded.GetProperty("id").GetString()!;
        Assert.Matches("^[0-9a-f]{24}$", id);
        Assert.Equal("Report 2024.pdf", uploaded.GetProperty("originalName").GetString());
        Assert.Equal(id + ".pdf", uploaded.GetProperty("fileName").GetString());
        Assert.Equal(8, uploaded.GetProperty("size").GetInt64());
        Assert.Equal("application/pdf", uploaded.GetProperty("mimetype").GetString());
        Assert.False(uploaded.GetProperty("isPublic").GetBoolean());
        Assert.Equal($"{Emulator.BaseUrl}api/bucket/files/{id}/download", uploaded.GetProperty("url").GetString());

        var got = await Api.SendAsync(HttpMethod.Get, StorageApi.FilesPath(Project, bucket, id), await Api.GuestAsync());
        Assert.Equal(HttpStatusCode.OK, got.Status);
        Assert.True(got.Json.GetProperty("success").GetBoolean());
        var file = got.Json.GetProperty("file");
        Assert.Equal(["_id", "filename", "originalName", "mimeType", "size", "url", "publicUrl", "bucket", "projectId", "isPublic", "uploadedBy", "createdAt"], StorageApi.Fields(file));
        Assert.Equal((id, id + ".pdf", "Report 2024.pdf", "application/pdf", 8L), (file.GetProperty("_id").GetString(), file.GetProperty("filename").GetString(),
            file.GetProperty("originalName").GetString(), file.GetProperty("mimeType").GetString(), file.GetProperty("size").GetInt64()));
        Assert.Equal((bucket, Project), (file.GetProperty("bucket").GetString(), file.GetProperty("projectId").GetString()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, file.GetProperty("publicUrl").ValueKind);
        Assert.Equal(uploaded.GetProperty("uploadedAt").GetString(), file.GetProperty("createdAt").GetString());
    }

    [Fact]
    public async Task Ten_files_go_in_one_upload_in_order_and_an_eleventh_is_refused_leaving_none()
    {
        var bucket = Api.NewBucket();
        var parts = Enumerable.Range(0, 11).Select(i => new UploadPart($"f{i}.bin", StorageApi.RandomBytes(i * 100))).ToList();

        var ten = await Api.UploadAsync(bucket, Api.Key(), parts.Take(10));
        var eleven = await Api.UploadAsync(Api.NewBucket(), Api.Key(), parts);

        Assert.Equal(HttpStatusCode.Created, ten.Status);
        Assert.Equal(parts.Take(10).Select(p => (p.FileName, (long)p.Bytes.Length)),
            ten.Json.GetProperty("files").EnumerateArray().Select(f => (f.GetProperty("originalName").GetString()!, f.GetProperty("size").GetInt64())));
        Assert.Equal((HttpStatusCode.BadRequest, """{"error":"Too many files: at most 10 per upload"}"""), (eleven.Status, eleven.Body));
        var list = await Api.SendAsync(HttpMethod.Get, StorageApi.FilesPath(Project, bucket) + "?limit=100", Api.Key());
        Assert.Equal(10, list.Json.GetProperty("pagination").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task The_isPublic_field_makes_the_files_public_wherever_it_comes_and_a_public_bucket_does_not()
    {
        var publicBucket = Api.NewBucket(isPublic: true);
        var content = new MultipartFormDataContent
        {
            { new StringContent("true"), "isPublic" },
            { new ByteArrayContent([1]), "files", "a.bin" },
        };

        var marked = await Api.UploadAsync(Api.NewBucket(), Api.Key(), content);
        var inPublicBucket = await Api.UploadAsync(publicBucket, Api.Key(), [new UploadPart("b.bin", [2])]);

        var file = marked.Json.GetProperty("files")[0];
        Assert.True(file.GetProperty("isPublic").GetBoolean());
        Assert.False(inPublicBucket.Json.GetProperty("files")[0].GetProperty("isPublic").GetBoolean());
        var got = await Api.SendAsync(HttpMethod.Get, $"api/files/download/{file.GetProperty("id").GetString()}", Api.Key());
        Assert.True(got.Json.GetProperty("isPublic").GetBoolean());
    }

    [Fact]
    public async Task A_part_without_a_content_type_is_octet_stream_and_a_non_ascii_name_survives()
    {
        var answer = await Api.UploadAsync(Api.NewBucket(), Api.Key(), [new UploadPart("résumé €.txt", [65], ContentType: null)]);

        var file = answer.Json.GetProperty("files")[0];
        Assert.Equal("application/octet-stream", file.GetProperty("mimetype").GetString());
        Assert.Equal("résumé €.txt", file.GetProperty("originalName").GetString());
    }

    [Fact]
    public async Task Uploads_and_deletes_are_org_calls_a_users_token_gets_403_and_nothing_is_stored()
    {
        var bucket = Api.NewBucket();
        var fileId = await Api.SeedFileAsync(bucket, "keep.txt", [1]);
        var guest = await Api.GuestAsync();

        var upload = await Api.UploadAsync(bucket, guest, [new UploadPart("a.txt", StorageApi.RandomBytes(200_000))]);
        var delete = await Api.SendAsync(HttpMethod.Delete, StorageApi.FilesPath(Project, bucket, fileId), guest);
        var anonymous = await Api.UploadAsync(bucket, Credential.None, [new UploadPart("a.txt", [1])]);

        Assert.Equal((HttpStatusCode.Forbidden, OrgOnly), (upload.Status, upload.Body));
        Assert.Equal((HttpStatusCode.Forbidden, OrgOnly), (delete.Status, delete.Body));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        var list = await Api.SendAsync(HttpMethod.Get, StorageApi.FilesPath(Project, bucket), guest);
        Assert.Equal([fileId], list.Json.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("_id").GetString()));
    }

    [Fact]
    public async Task Delete_removes_the_file_and_its_bytes_and_a_second_delete_is_404()
    {
        var bucket = Api.NewBucket();
        var fileId = await Api.SeedFileAsync(bucket, "gone.txt", [1, 2]);
        var signed = await Api.SignAsync(bucket, fileId);

        var deleted = await Api.SendAsync(HttpMethod.Delete, StorageApi.FilesPath(Project, bucket, fileId), Api.Key());
        var again = await Api.SendAsync(HttpMethod.Delete, StorageApi.FilesPath(Project, bucket, fileId), Api.Key());

        Assert.Equal((HttpStatusCode.OK, """{"message":"File deleted successfully"}"""), (deleted.Status, deleted.Body));
        Assert.Equal((HttpStatusCode.NotFound, """{"error":"File not found"}"""), (again.Status, again.Body));
        Assert.Equal(HttpStatusCode.NotFound, (await Api.GetBytesAsync(signed)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Api.SendAsync(HttpMethod.Get, StorageApi.FilesPath(Project, bucket, fileId), Api.Key())).Status);
    }

    [Fact]
    public async Task Listing_is_newest_first_pages_and_filters_by_name_and_type()
    {
        var bucket = Api.NewBucket();
        await Api.SeedFileAsync(bucket, "cat.png", [1], contentType: "image/png");
        await Api.SeedFileAsync(bucket, "dog.jpg", [1], contentType: "image/jpeg");
        await Api.SeedFileAsync(bucket, "Catalogue.pdf", [1], contentType: "application/pdf");
        var guest = await Api.GuestAsync();

        var all = await Api.SendAsync(HttpMethod.Get, StorageApi.FilesPath(Project, bucket), guest);
        var page = await Api.SendAsync(HttpMethod.Get, StorageApi.FilesPath(Project, bucket) + "?page=2&limit=2", guest);
        var images = await Api.SendAsync(HttpMethod.Get, StorageApi.FilesPath(Project, bucket) + "?type=image", guest);
        var cats = await Api.SendAsync(HttpMethod.Get, StorageApi.FilesPath(Project, bucket) + "?search=cat&type=image/png", guest);

        static IEnumerable<string?> Names(WireAnswer answer) => answer.Json.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("originalName").GetString());
        Assert.Equal(["files", "pagination"], StorageApi.Fields(all.Json));
        Assert.Equal(["Catalogue.pdf", "dog.jpg", "cat.png"], Names(all));
        Assert.Equal(["cat.png"], Names(page));
        Assert.Equal("""{"page":2,"limit":2,"total":3,"totalPages":2,"hasMore":false}""", page.Json.GetProperty("pagination").GetRawText());
        Assert.Equal(["dog.jpg", "cat.png"], Names(images));
        Assert.Equal(["cat.png"], Names(cats));
    }

    [Fact]
    public async Task Nothing_to_upload_or_a_file_under_another_field_is_400()
    {
        var bucket = Api.NewBucket();
        var wrongField = new MultipartFormDataContent { { new ByteArrayContent([1]), "file", "a.bin" } };
        var onlyFields = new MultipartFormDataContent { { new StringContent("true"), "isPublic" } };

        var unexpected = await Api.UploadAsync(bucket, Api.Key(), wrongField);
        var none = await Api.UploadAsync(bucket, Api.Key(), onlyFields);
        var json = await Api.SendAsync(HttpMethod.Post, StorageApi.FilesPath(Project, bucket), Api.Key(), """{"files":[]}""");

        Assert.Equal((HttpStatusCode.BadRequest, """{"error":"Unexpected field: file"}"""), (unexpected.Status, unexpected.Body));
        Assert.Equal((HttpStatusCode.BadRequest, """{"error":"No files uploaded"}"""), (none.Status, none.Body));
        Assert.Equal((HttpStatusCode.BadRequest, """{"error":"No files uploaded"}"""), (json.Status, json.Body));
    }

    [Fact]
    public async Task A_file_over_the_buckets_own_limit_is_413_with_that_limit_and_none_of_the_upload_is_kept()
    {
        var created = await Api.SendAsync(HttpMethod.Post, StorageApi.BucketsPath(Project), Api.Key(), $$$"""{"name":"{{{DataApi.NewName("small")}}}","settings":{"maxFileSize":1000}}""");
        var bucket = created.Json.GetProperty("bucket").GetProperty("_id").GetString()!;

        var answer = await Api.UploadAsync(bucket, Api.Key(), [new UploadPart("ok.bin", new byte[1000]), new UploadPart("big.bin", new byte[1001])]);

        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, """{"error":"File size exceeds limit of 1000 bytes","maxFileUploadBytes":1000}"""), (answer.Status, answer.Body));
        var list = await Api.SendAsync(HttpMethod.Get, StorageApi.FilesPath(Project, bucket), Api.Key());
        Assert.Equal(0, list.Json.GetProperty("pagination").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task An_unknown_or_malformed_bucket_or_file_is_404()
    {
        var bucket = Api.NewBucket();

        var unknownBucket = await Api.SendAsync(HttpMethod.Get, StorageApi.FilesPath(Project, "0123456789abcdef01234567"), Api.Key());
        var malformedBucket = await Api.SendAsync(HttpMethod.Get, StorageApi.FilesPath(Project, "default"), Api.Key());
        var unknownFile = await Api.SendAsync(HttpMethod.Get, StorageApi.FilesPath(Project, bucket, "0123456789abcdef01234567"), Api.Key());
        var otherBucketsFile = await Api.SendAsync(HttpMethod.Get, StorageApi.FilesPath(Project, bucket, await Api.SeedFileAsync(Api.NewBucket(), "x", [1])), Api.Key());

        Assert.Equal((HttpStatusCode.NotFound, """{"error":"Bucket not found"}"""), (unknownBucket.Status, unknownBucket.Body));
        Assert.Equal(HttpStatusCode.NotFound, malformedBucket.Status);
        Assert.Equal((HttpStatusCode.NotFound, """{"error":"File not found"}"""), (unknownFile.Status, unknownFile.Body));
        Assert.Equal(HttpStatusCode.NotFound, otherBucketsFile.Status);
    }
}
