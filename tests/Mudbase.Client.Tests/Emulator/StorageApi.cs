using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using Mudbase.Emulator;

namespace Mudbase.Tests.Emulator;

/// <summary>One emulator without rate limits for a storage test class, and plain HTTP to it.</summary>
public sealed class StorageEmulatorFixture : IAsyncLifetime
{
    public MudbaseEmulator Emulator { get; private set; } = null!;

    public StorageApi Api { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Emulator = await MudbaseEmulator.StartAsync(new MudbaseEmulatorOptions { EnableRateLimits = false }, TestContext.Current.CancellationToken);
        Api = new StorageApi(Emulator);
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Emulator.DisposeAsync();
    }
}

/// <summary>A file to upload: its part's file name, content type (none when null) and bytes.</summary>
public sealed record UploadPart(string FileName, byte[] Bytes, string? ContentType = "application/octet-stream");

/// <summary>The storage routes over plain <see cref="HttpClient"/> and <see cref="MultipartFormDataContent"/>, as any client would send them.</summary>
public sealed class StorageApi(MudbaseEmulator emulator) : IDisposable
{
    private readonly DataApi _data = new(emulator);

    public HttpClient Http { get; } = new() { BaseAddress = emulator.BaseUrl };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public MudbaseEmulator Emulator => emulator;

    public Credential Key(string? projectId = null) => _data.Key(projectId);

    public Task<Credential> GuestAsync(string? projectId = null) => _data.GuestAsync(projectId);

    public static string BucketsPath(string projectId, string? bucketId = null) =>
        $"api/bucket/projects/{projectId}/buckets" + (bucketId is null ? "" : "/" + bucketId);

    public static string FilesPath(string projectId, string bucketId, string? fileId = null) =>
        BucketsPath(projectId, bucketId) + "/files" + (fileId is null ? "" : "/" + fileId);

    public Task<WireAnswer> SendAsync(HttpMethod method, string path, Credential credential, string? json = null) =>
        _data.SendAsync(method, path, credential, json);

    /// <summary>A new bucket of the default project, made in code, with a name no other test uses.</summary>
    public string NewBucket(bool isPublic = false) => emulator.CreateBucket(DataApi.NewName("b"), isPublic);

    /// <summary>POSTs a multipart upload: one <c>files</c> part per file, then <c>isPublic</c> when given.</summary>
    public Task<WireAnswer> UploadAsync(string bucketId, Credential credential, IEnumerable<UploadPart> parts, string? isPublic = null, string? projectId = null)
    {
        var content = new MultipartFormDataContent();
        foreach (var part in parts)
        {
            var file = new ByteArrayContent(part.Bytes);
            if (part.ContentType is not null)
            {
                file.Headers.ContentType = MediaTypeHeaderValue.Parse(part.ContentType);
            }

            content.Add(file, "files", part.FileName);
        }

        if (isPublic is not null)
        {
            content.Add(new StringContent(isPublic), "isPublic");
        }

        return UploadAsync(bucketId, credential, content, projectId);
    }

    public async Task<WireAnswer> UploadAsync(string bucketId, Credential credential, HttpContent content, string? projectId = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, FilesPath(projectId ?? emulator.DefaultProjectId, bucketId)) { Content = content };
        Authorize(request, credential);
        using var response = await Http.SendAsync(request, Ct);
        return await ReadAsync(response);
    }

    /// <summary>Uploads one file with the API key and returns its id.</summary>
    public async Task<string> SeedFileAsync(string bucketId, string fileName, byte[] bytes, bool isPublic = false, string contentType = "application/octet-stream")
    {
        var answer = await UploadAsync(bucketId, Key(), [new UploadPart(fileName, bytes, contentType)], isPublic ? "true" : null);
        Assert.True(answer.Status == HttpStatusCode.Created, answer.ToString());
        return answer.Json.GetProperty("files")[0].GetProperty("id").GetString()!;
    }

    /// <summary>A signed URL for a file of a bucket of the default project, asked for with the API key.</summary>
    public async Task<string> SignAsync(string bucketId, string fileId, int? expiresIn = null)
    {
        var answer = await SendAsync(HttpMethod.Post, FilesPath(emulator.DefaultProjectId, bucketId, fileId) + "/signed-url", Key(),
            expiresIn is null ? "{}" : $$"""{"expiresIn":{{expiresIn}}}""");
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        return answer.Json.GetProperty("url").GetString()!;
    }

    /// <summary>GETs a URL with no credential and reads the whole body as bytes.</summary>
    public async Task<(HttpStatusCode Status, byte[] Body, HttpContentHeaders Headers)> GetBytesAsync(string url)
    {
        using var response = await Http.GetAsync(url, Ct);
        return (response.StatusCode, await response.Content.ReadAsByteArrayAsync(Ct), response.Content.Headers);
    }

    public static async Task<WireAnswer> ReadAsync(HttpResponseMessage response) =>
        new(response.StatusCode, await response.Content.ReadAsStringAsync(Ct), response.Content.Headers.ContentType?.MediaType);

    public static void Authorize(HttpRequestMessage request, Credential credential)
    {
        if (credential.ApiKey is not null)
        {
            request.Headers.Add("X-API-Key", credential.ApiKey);
        }

        if (credential.Token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential.Token);
        }
    }

    public static byte[] RandomBytes(int length) => RandomNumberGenerator.GetBytes(length);

    /// <summary>The names of a JSON object's fields, in order.</summary>
    public static IEnumerable<string> Fields(JsonElement element) => element.EnumerateObject().Select(p => p.Name);

    public void Dispose()
    {
        Http.Dispose();
        _data.Dispose();
    }
}
