using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Mudbase.Emulator;

namespace Mudbase.Tests.Emulator;

/// <summary>One emulator without rate limits for a test class, and plain HTTP to it: what crossed the wire, nothing else.</summary>
public sealed class DataEmulatorFixture : IAsyncLifetime
{
    public MudbaseEmulator Emulator { get; private set; } = null!;

    public DataApi Api { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Emulator = await MudbaseEmulator.StartAsync(new MudbaseEmulatorOptions { EnableRateLimits = false }, TestContext.Current.CancellationToken);
        Api = new DataApi(Emulator);
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Emulator.DisposeAsync();
    }
}

/// <summary>A credential to send: none, the API key, or a user's access token.</summary>
public sealed record Credential(string? ApiKey = null, string? Token = null, string? UserId = null)
{
    public static Credential None { get; } = new();
}

/// <summary>An answer as it crossed the wire: status, the raw body, and the body parsed.</summary>
public sealed record WireAnswer(HttpStatusCode Status, string Body, string? ContentType)
{
    /// <summary>The <c>ratelimit-policy</c> header, when the answer had one.</summary>
    public string? RateLimitPolicy { get; init; }

    public JsonElement Json { get; } = Body.Length == 0 ? default : JsonDocument.Parse(Body).RootElement.Clone();

    public JsonElement Data => Json.GetProperty("data");

    public IReadOnlyList<JsonElement> Documents => [.. Json.GetProperty("data").EnumerateArray()];

    public override string ToString() => $"{(int)Status} {Body}";
}

public sealed class DataApi(MudbaseEmulator emulator) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = emulator.BaseUrl };

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public Credential Key(string? projectId = null) => new(ApiKey: projectId is null ? emulator.ApiKey : emulator.GetApiKey(projectId));

    public static string DataPath(string projectId, string collection, string? documentId = null) =>
        $"api/data/projects/{projectId}/collections/{Uri.EscapeDataString(collection)}/data" + (documentId is null ? "" : "/" + documentId);

    public static string SchemaPath(string projectId, string? collection = null) =>
        $"api/schemas/projects/{projectId}/collections" + (collection is null ? "" : "/" + Uri.EscapeDataString(collection));

    public async Task<WireAnswer> SendAsync(HttpMethod method, string path, Credential credential, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (credential.ApiKey is not null)
        {
            request.Headers.Add("X-API-Key", credential.ApiKey);
        }

        if (credential.Token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential.Token);
        }

        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        using var response = await _http.SendAsync(request, Ct);
        return new WireAnswer(response.StatusCode, await response.Content.ReadAsStringAsync(Ct), response.Content.Headers.ContentType?.MediaType)
        {
            RateLimitPolicy = response.Headers.TryGetValues("ratelimit-policy", out var policy) ? policy.Single() : null,
        };
    }

    public Task<WireAnswer> ListAsync(string projectId, string collection, Credential credential, string query = "") =>
        SendAsync(HttpMethod.Get, DataPath(projectId, collection) + query, credential);

    public Task<WireAnswer> GetAsync(string projectId, string collection, string documentId, Credential credential) =>
        SendAsync(HttpMethod.Get, DataPath(projectId, collection, documentId), credential);

    public Task<WireAnswer> CreateAsync(string projectId, string collection, Credential credential, string json) =>
        SendAsync(HttpMethod.Post, DataPath(projectId, collection), credential, json);

    public Task<WireAnswer> PatchAsync(string projectId, string collection, string documentId, Credential credential, string json) =>
        SendAsync(HttpMethod.Patch, DataPath(projectId, collection, documentId), credential, json);

    public Task<WireAnswer> DeleteAsync(string projectId, string collection, string documentId, Credential credential) =>
        SendAsync(HttpMethod.Delete, DataPath(projectId, collection, documentId), credential);

    /// <summary>Creates a document with the API key and returns its <c>_id</c>.</summary>
    public async Task<string> SeedAsync(string projectId, string collection, string json)
    {
        var answer = await CreateAsync(projectId, collection, Key(projectId == emulator.DefaultProjectId ? null : projectId), json);
        Assert.True(answer.Status == HttpStatusCode.Created, answer.ToString());
        return answer.Data.GetProperty("_id").GetString()!;
    }

    /// <summary>A new guest of the project: its token and id.</summary>
    public async Task<Credential> GuestAsync(string? projectId = null)
    {
        var answer = await SendAsync(HttpMethod.Post, "api/auth/anonymous", Credential.None, $$"""{"projectId":"{{projectId ?? emulator.DefaultProjectId}}"}""");
        Assert.True(answer.Status == HttpStatusCode.Created || answer.Status == HttpStatusCode.OK, answer.ToString());
        return new Credential(Token: answer.Json.GetProperty("token").GetString(), UserId: answer.Json.GetProperty("user").GetProperty("id").GetString());
    }

    /// <summary>A new user signed up into a project role (the project must not require verification).</summary>
    public async Task<Credential> SignUpAsync(string projectId, string role)
    {
        var email = $"user.{Guid.NewGuid():N}@northwind.dev";
        var answer = await SendAsync(HttpMethod.Post, $"api/auth/local/signup/{role}", Credential.None, $$"""
            {"email":"{{email}}","password":"Str0ng_Pass!","firstName":"Ada","lastName":"Lovelace","projectId":"{{projectId}}","agreedToTerms":true}
            """);
        Assert.True(answer.Status == HttpStatusCode.Created, answer.ToString());
        return new Credential(Token: answer.Json.GetProperty("token").GetString(), UserId: answer.Json.GetProperty("user").GetProperty("id").GetString());
    }

    /// <summary>A collection name no other test uses.</summary>
    public static string NewName(string prefix) => $"{prefix}_{Guid.NewGuid():N}"[..20];

    public void Dispose() => _http.Dispose();
}
