using System.Globalization;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using Mudbase.Emulator;

namespace Mudbase.Tests.Emulator;

/// <summary>The download routes: signed URLs that a plain HttpClient can fetch and that expire, public files, the bytes' headers.</summary>
public sealed class StorageDownloadTests(StorageEmulatorFixture fixture) : IClassFixture<StorageEmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MudbaseEmulator Emulator => fixture.Emulator;

    private StorageApi Api => fixture.Api;

    private string Project => Emulator.DefaultProjectId;

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(200_000)]
    public async Task A_signed_url_gives_the_same_bytes_with_their_length_type_and_name(int length)
    {
        var bucket = Api.NewBucket();
        var bytes = StorageApi.RandomBytes(length);
        var fileId = await Api.SeedFileAsync(bucket, "data €.csv", bytes, contentType: "text/csv");
        var guest = await Api.GuestAsync();

        var signed = await Api.SendAsync(HttpMethod.Post, StorageApi.FilesPath(Project, bucket, fileId) + "/signed-url", guest, """{"expiresIn":120}""");
        var url = signed.Json.GetProperty("url").GetString()!;
        var (status, body, headers) = await Api.GetBytesAsync(url);

        Assert.Equal(HttpStatusCode.OK, signed.Status);
        Assert.Equal(["success", "url", "expiresAt", "expiresIn"], StorageApi.Fields(signed.Json));
        Assert.Equal(120, signed.Json.GetProperty("expiresIn").GetInt32());
        var expiresAt = DateTimeOffset.Parse(signed.Json.GetProperty("expiresAt").GetString()!, CultureInfo.InvariantCulture);
        Assert.InRange(expiresAt - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(100), TimeSpan.FromSeconds(121));
        Assert.StartsWith($"{Emulator.BaseUrl}api/bucket/files/{fileId}/download?token=", url, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(bytes, body);
        Assert.Equal(length, headers.ContentLength);
        Assert.Equal("text/csv", headers.ContentType?.MediaType);
        Assert.Equal("attachment", headers.ContentDisposition?.DispositionType);
        Assert.Equal("data €.csv", headers.ContentDisposition?.FileNameStar);
    }

    [Fact]
    public async Task A_signed_url_is_refused_once_the_emulators_clock_passes_its_expiry()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var emulator = await MudbaseEmulator.StartAsync(new MudbaseEmulatorOptions { EnableRateLimits = false, TimeProvider = clock }, Ct);
        using var api = new StorageApi(emulator);
        var bucket = emulator.FindBucketId()!;
        var fileId = await api.SeedFileAsync(bucket, "a.bin", [7, 7]);
        var url = await api.SignAsync(bucket, fileId, expiresIn: 60);

        clock.Advance(TimeSpan.FromSeconds(59));
        var before = await api.GetBytesAsync(url);
        clock.Advance(TimeSpan.FromSeconds(1));
        var after = await api.GetBytesAsync(url);

        Assert.Equal(HttpStatusCode.OK, before.Status);
        Assert.Equal(new byte[] { 7, 7 }, before.Body);
        Assert.Equal(HttpStatusCode.Forbidden, after.Status);
        Assert.Equal("""{"error":"Invalid or expired download token"}""", System.Text.Encoding.UTF8.GetString(after.Body));
    }

    [Fact]
    public async Task A_private_files_bytes_need_a_token_signed_for_that_file()
    {
        var bucket = Api.NewBucket();
        var fileId = await Api.SeedFileAsync(bucket, "a.bin", [1]);
        var otherId = await Api.SeedFileAsync(bucket, "b.bin", [2]);
        var otherToken = new Uri(await Api.SignAsync(bucket, otherId)).Query;

        var noToken = await Api.GetBytesAsync($"api/bucket/files/{fileId}/download");
        var borrowed = await Api.GetBytesAsync($"api/bucket/files/{fileId}/download{otherToken}");
        var forged = await Api.GetBytesAsync($"api/bucket/files/{fileId}/download?token=99999999999.AAAA");
        var unknown = await Api.GetBytesAsync($"api/bucket/files/0123456789abcdef01234567/download{otherToken}");

        Assert.Equal(HttpStatusCode.Forbidden, noToken.Status);
        Assert.Equal(HttpStatusCode.Forbidden, borrowed.Status);
        Assert.Equal(HttpStatusCode.Forbidden, forged.Status);
        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
    }

    [Fact]
    public async Task A_public_file_downloads_without_a_token_and_its_permanent_url_redirects_to_a_signed_one()
    {
        var bucket = Api.NewBucket();
        var publicId = await Api.SeedFileAsync(bucket, "logo.png", [9, 8, 7], isPublic: true, contentType: "image/png");
        var privateId = await Api.SeedFileAsync(bucket, "secret.png", [1], contentType: "image/png");
        using var noRedirects = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = Emulator.BaseUrl };

        var direct = await Api.GetBytesAsync($"api/bucket/files/{publicId}/download");
        using var redirect = await noRedirects.GetAsync($"api/files/public/{publicId}", Ct);
        var followed = await Api.GetBytesAsync($"api/files/public/{publicId}");
        using var notPublic = await noRedirects.GetAsync($"api/files/public/{privateId}", Ct);
        using var unknown = await noRedirects.GetAsync("api/files/public/0123456789abcdef01234567", Ct);

        Assert.Equal(HttpStatusCode.OK, direct.Status);
        Assert.Equal(new byte[] { 9, 8, 7 }, direct.Body);
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.StartsWith($"{Emulator.BaseUrl}api/bucket/files/{publicId}/download?token=", redirect.Headers.Location?.ToString(), StringComparison.Ordinal);
        Assert.Equal(new byte[] { 9, 8, 7 }, followed.Body);
        Assert.Equal(HttpStatusCode.Forbidden, notPublic.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_public_file_is_not_signed_its_permanent_url_comes_with_a_warning()
    {
        var bucket = Api.NewBucket();
        var fileId = await Api.SeedFileAsync(bucket, "logo.png", [1], isPublic: true);

        var signed = await Api.SendAsync(HttpMethod.Post, StorageApi.FilesPath(Project, bucket, fileId) + "/signed-url", Api.Key());
        var download = await Api.SendAsync(HttpMethod.Get, $"api/files/download/{fileId}", Api.Key());
        var metadata = await Api.SendAsync(HttpMethod.Get, StorageApi.FilesPath(Project, bucket, fileId), Api.Key());

        var url = $"{Emulator.BaseUrl}api/bucket/files/{fileId}/download";
        Assert.Equal(url, signed.Json.GetProperty("url").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, signed.Json.GetProperty("expiresIn").ValueKind);
        Assert.True(signed.Json.TryGetProperty("warning", out _));
        Assert.Equal(["url", "expiresIn", "isPublic", "warning"], StorageApi.Fields(download.Json));
        Assert.Equal(url, download.Json.GetProperty("url").GetString());
        Assert.Equal($"{Emulator.BaseUrl}api/files/public/{fileId}", metadata.Json.GetProperty("file").GetProperty("publicUrl").GetString());
    }

    [Fact]
    public async Task Both_download_url_routes_answer_a_user_with_a_url_that_works()
    {
        var bucket = Api.NewBucket();
        var fileId = await Api.SeedFileAsync(bucket, "a.bin", [4, 2]);
        var guest = await Api.GuestAsync();

        var byQuery = await Api.SendAsync(HttpMethod.Get, $"api/files/download/{fileId}?expiresIn=30", guest);
        var presigned = await Api.SendAsync(HttpMethod.Get, $"api/files/{fileId}/download", guest);

        Assert.Equal(HttpStatusCode.OK, byQuery.Status);
        Assert.Equal(["url", "expiresIn", "isPublic"], StorageApi.Fields(byQuery.Json));
        Assert.Equal((30, false), (byQuery.Json.GetProperty("expiresIn").GetInt32(), byQuery.Json.GetProperty("isPublic").GetBoolean()));
        Assert.Equal(HttpStatusCode.OK, presigned.Status);
        Assert.Equal(["success", "url", "expiresAt", "expiresIn"], StorageApi.Fields(presigned.Json));
        Assert.Equal(3600, presigned.Json.GetProperty("expiresIn").GetInt32());
        Assert.Equal(new byte[] { 4, 2 }, (await Api.GetBytesAsync(byQuery.Json.GetProperty("url").GetString()!)).Body);
        Assert.Equal(new byte[] { 4, 2 }, (await Api.GetBytesAsync(presigned.Json.GetProperty("url").GetString()!)).Body);
    }

    [Fact]
    public async Task Download_urls_need_a_credential_of_the_files_project_and_a_positive_expiresIn()
    {
        var fileId = await Api.SeedFileAsync(Api.NewBucket(), "a.bin", [1]);
        var stranger = await Api.GuestAsync(Emulator.NoVerificationProjectId);

        var anonymous = await Api.SendAsync(HttpMethod.Get, $"api/files/download/{fileId}", Credential.None);
        var otherProject = await Api.SendAsync(HttpMethod.Get, $"api/files/{fileId}/download", stranger);
        var zero = await Api.SendAsync(HttpMethod.Get, $"api/files/download/{fileId}?expiresIn=0", Api.Key());
        var huge = await Api.SendAsync(HttpMethod.Get, $"api/files/download/{fileId}?expiresIn=99999999", Api.Key());

        Assert.Equal((HttpStatusCode.Unauthorized, """{"error":"Authentication required"}"""), (anonymous.Status, anonymous.Body));
        Assert.Equal(HttpStatusCode.Forbidden, otherProject.Status);
        Assert.Equal((HttpStatusCode.BadRequest, """{"error":"Validation failed","details":["\"expiresIn\" must be greater than or equal to 1"]}"""), (zero.Status, zero.Body));
        Assert.Equal(7 * 24 * 3600, huge.Json.GetProperty("expiresIn").GetInt32());
    }

    [Fact]
    public async Task A_signed_url_body_that_is_not_a_number_is_400()
    {
        var bucket = Api.NewBucket();
        var fileId = await Api.SeedFileAsync(bucket, "a.bin", [1]);

        var text = await Api.SendAsync(HttpMethod.Post, StorageApi.FilesPath(Project, bucket, fileId) + "/signed-url", Api.Key(), """{"expiresIn":"soon"}""");
        var fraction = await Api.SendAsync(HttpMethod.Post, StorageApi.FilesPath(Project, bucket, fileId) + "/signed-url", Api.Key(), """{"expiresIn":1.5}""");

        Assert.Equal((HttpStatusCode.BadRequest, """{"error":"Validation failed","details":["\"expiresIn\" must be a number"]}"""), (text.Status, text.Body));
        Assert.Equal(HttpStatusCode.BadRequest, fraction.Status);
    }
}
