using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Mudbase.Emulator;

namespace Mudbase.Tests.Emulator;

/// <summary>Direct upload: presign (an org call), PUT the bytes to the emulator's object store, confirm; no confirm, no file.</summary>
public sealed class StorageDirectUploadTests(StorageEmulatorFixture fixture) : IClassFixture<StorageEmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MudbaseEmulator Emulator => fixture.Emulator;

    private StorageApi Api => fixture.Api;

    private string Project => Emulator.DefaultProjectId;

    private Task<WireAnswer> PresignAsync(string json, Credential? credential = null) =>
        Api.SendAsync(HttpMethod.Post, "api/files/upload/presigned", credential ?? Api.Key(), json);

    private Task<WireAnswer> ConfirmAsync(string key, string extra = "") =>
        Api.SendAsync(HttpMethod.Post, "api/files/upload/confirm", Api.Key(), $$"""{"key":"{{key}}","projectId":"{{Project}}"{{extra}}}""");

    private async Task<HttpStatusCode> PutAsync(JsonElement presigned, byte[] bytes, string? contentType = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, presigned.GetProperty("url").GetString()) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType ?? presigned.GetProperty("headers").GetProperty("Content-Type").GetString()!);
        using var response = await Api.Http.SendAsync(request, Ct);
        return response.StatusCode;
    }

    [Fact]
    public async Task Presign_put_and_confirm_make_a_file_of_the_named_bucket_that_downloads_the_same_bytes()
    {
        var bucketName = DataApi.NewName("direct");
        var bucket = Emulator.CreateBucket(bucketName);
        var bytes = StorageApi.RandomBytes(300_000);

        var presigned = await PresignAsync($$"""{"projectId":"{{Project}}","originalName":"photo.jpg","bucket":"{{bucketName}}","isPublic":true}""");
        var put = await PutAsync(presigned.Json, bytes);
        var key = presigned.Json.GetProperty("key").GetString()!;
        var confirmed = await ConfirmAsync(key);

        Assert.Equal(HttpStatusCode.OK, presigned.Status);
        Assert.Equal(["key", "url", "method", "headers", "expiresIn", "maxFileUploadBytes"], StorageApi.Fields(presigned.Json));
        Assert.Equal("PUT", presigned.Json.GetProperty("method").GetString());
        Assert.Equal("""{"Content-Type":"image/jpeg"}""", presigned.Json.GetProperty("headers").GetRawText());
        Assert.Equal($"{Emulator.BaseUrl}__storage/{key}", presigned.Json.GetProperty("url").GetString());
        Assert.Equal(52_428_800, presigned.Json.GetProperty("maxFileUploadBytes").GetInt64());
        Assert.Equal(HttpStatusCode.OK, put);
        Assert.Equal(HttpStatusCode.Created, confirmed.Status);
        Assert.Equal(["fileId", "status", "scan"], StorageApi.Fields(confirmed.Json));
        Assert.Equal("ok", confirmed.Json.GetProperty("status").GetString());
        var fileId = confirmed.Json.GetProperty("fileId").GetString()!;
        var file = (await Api.SendAsync(HttpMethod.Get, StorageApi.FilesPath(Project, bucket, fileId), Api.Key())).Json.GetProperty("file");
        Assert.Equal(("photo.jpg", "image/jpeg", 300_000L, true), (file.GetProperty("originalName").GetString(), file.GetProperty("mimeType").GetString(),
            file.GetProperty("size").GetInt64(), file.GetProperty("isPublic").GetBoolean()));
        Assert.Equal(bytes, (await Api.GetBytesAsync(await Api.SignAsync(bucket, fileId))).Body);
        // Confirmed once: the key is spent.
        Assert.Equal(HttpStatusCode.NotFound, (await ConfirmAsync(key)).Status);
    }

    [Fact]
    public async Task A_key_never_confirmed_leaves_no_file_and_a_confirm_before_the_put_finds_nothing()
    {
        var bucket = Emulator.FindBucketId()!;
        var before = (await Api.SendAsync(HttpMethod.Get, StorageApi.FilesPath(Project, bucket), Api.Key())).Json.GetProperty("pagination").GetProperty("total").GetInt32();

        var unconfirmed = await PresignAsync($$"""{"projectId":"{{Project}}","originalName":"a.bin"}""");
        Assert.Equal(HttpStatusCode.OK, await PutAsync(unconfirmed.Json, [1, 2, 3]));
        var early = await PresignAsync($$"""{"projectId":"{{Project}}","originalName":"b.bin"}""");
        var confirmBeforePut = await ConfirmAsync(early.Json.GetProperty("key").GetString()!);
        var unknownKey = await ConfirmAsync("uploads/nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, confirmBeforePut.Status);
        Assert.Equal(HttpStatusCode.NotFound, unknownKey.Status);
        var after = (await Api.SendAsync(HttpMethod.Get, StorageApi.FilesPath(Project, bucket), Api.Key())).Json.GetProperty("pagination").GetProperty("total").GetInt32();
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task A_repeated_put_replaces_the_bytes_and_a_wrong_content_type_is_refused()
    {
        var presigned = await PresignAsync($$"""{"projectId":"{{Project}}","originalName":"notes","contentType":"text/plain"}""");

        var first = await PutAsync(presigned.Json, [1, 1, 1, 1]);
        var second = await PutAsync(presigned.Json, [2, 2]);
        var mismatch = await PutAsync(presigned.Json, [3], "application/octet-stream");
        var confirmed = await ConfirmAsync(presigned.Json.GetProperty("key").GetString()!, ""","originalName":"renamed.txt" """);
        var unknown = await PutAsync(presigned.Json, [4]);

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Forbidden), (first, second, mismatch));
        var fileId = confirmed.Json.GetProperty("fileId").GetString()!;
        var file = (await Api.SendAsync(HttpMethod.Get, StorageApi.FilesPath(Project, Emulator.FindBucketId()!, fileId), Api.Key())).Json.GetProperty("file");
        Assert.Equal(("renamed.txt", "text/plain", 2L), (file.GetProperty("originalName").GetString(), file.GetProperty("mimeType").GetString(), file.GetProperty("size").GetInt64()));
        Assert.Equal(HttpStatusCode.NotFound, unknown);
    }

    [Fact]
    public async Task A_put_without_a_length_is_411_as_an_object_store_answers_and_leaves_nothing_to_confirm()
    {
        var presigned = await PresignAsync($$"""{"projectId":"{{Project}}","originalName":"a.bin"}""");
        using var request = new HttpRequestMessage(HttpMethod.Put, presigned.Json.GetProperty("url").GetString())
        {
            Content = new StreamContent(new Support.NonSeekableStream([1, 2, 3])),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        request.Headers.TransferEncodingChunked = true;
        using var response = await Api.Http.SendAsync(request, Ct);
        var confirmed = await ConfirmAsync(presigned.Json.GetProperty("key").GetString()!);

        Assert.Equal(HttpStatusCode.LengthRequired, response.StatusCode);
        Assert.Equal("""{"error":"MissingContentLength: You must provide the Content-Length HTTP header."}""", await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(HttpStatusCode.NotFound, confirmed.Status);
    }

    [Fact]
    public async Task Over_the_limit_the_confirm_is_413_and_no_file_is_made()
    {
        await using var emulator = await MudbaseEmulator.StartAsync(new MudbaseEmulatorOptions { EnableRateLimits = false, MaxFileUploadBytes = 10 }, Ct);
        using var api = new StorageApi(emulator);
        var project = emulator.DefaultProjectId;

        var presigned = await api.SendAsync(HttpMethod.Post, "api/files/upload/presigned", api.Key(), $$"""{"projectId":"{{project}}","originalName":"big.bin"}""");
        var key = presigned.Json.GetProperty("key").GetString()!;
        using var put = new HttpRequestMessage(HttpMethod.Put, presigned.Json.GetProperty("url").GetString()) { Content = new ByteArrayContent(new byte[11]) };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var putAnswer = await api.Http.SendAsync(put, Ct);
        var confirmed = await api.SendAsync(HttpMethod.Post, "api/files/upload/confirm", api.Key(), $$"""{"key":"{{key}}","projectId":"{{project}}"}""");

        Assert.Equal(10, presigned.Json.GetProperty("maxFileUploadBytes").GetInt64());
        Assert.Equal(HttpStatusCode.OK, putAnswer.StatusCode);
        Assert.Equal((HttpStatusCode.RequestEntityTooLarge, """{"error":"File size exceeds limit of 10 bytes","maxFileUploadBytes":10}"""), (confirmed.Status, confirmed.Body));
        var list = await api.SendAsync(HttpMethod.Get, StorageApi.FilesPath(project, emulator.FindBucketId()!), api.Key());
        Assert.Equal(0, list.Json.GetProperty("pagination").GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Presign_and_confirm_are_org_calls_and_check_their_body()
    {
        var guest = await Api.GuestAsync();

        var asUser = await PresignAsync($$"""{"projectId":"{{Project}}","originalName":"a.bin"}""", guest);
        var confirmAsUser = await Api.SendAsync(HttpMethod.Post, "api/files/upload/confirm", guest, $$"""{"key":"k","projectId":"{{Project}}"}""");
        var missing = await PresignAsync("{}");
        var noBucket = await PresignAsync($$"""{"projectId":"{{Project}}","originalName":"a.bin","bucket":"nope"}""");

        Assert.Equal((HttpStatusCode.Forbidden, """{"required":["owner","admin","developer"],"current":"viewer"}"""), (asUser.Status, asUser.Body));
        Assert.Equal(HttpStatusCode.Forbidden, confirmAsUser.Status);
        Assert.Equal(["\"projectId\" is required", "\"originalName\" is required"], missing.Json.GetProperty("details").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal((HttpStatusCode.NotFound, """{"error":"Bucket not found"}"""), (noBucket.Status, noBucket.Body));
    }

    [Fact]
    public async Task A_put_after_the_upload_url_expires_is_refused()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await MudbaseEmulator.StartAsync(new MudbaseEmulatorOptions { EnableRateLimits = false, TimeProvider = clock }, Ct);
        using var api = new StorageApi(emulator);
        var presigned = await api.SendAsync(HttpMethod.Post, "api/files/upload/presigned", api.Key(), $$"""{"projectId":"{{emulator.DefaultProjectId}}","originalName":"a.bin"}""");

        clock.Advance(TimeSpan.FromSeconds(presigned.Json.GetProperty("expiresIn").GetInt32()));
        using var put = new HttpRequestMessage(HttpMethod.Put, presigned.Json.GetProperty("url").GetString()) { Content = new ByteArrayContent([1]) };
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var answer = await api.Http.SendAsync(put, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, answer.StatusCode);
    }
}
