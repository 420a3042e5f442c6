using System.Net.Http.Headers;
using System.Net.Http.Json;

namespace Mudbase.Benchmarks;

/// <summary>
/// The baseline: what a user writes by hand without the SDK. One long-lived HttpClient, the source-generated
/// context, PostAsJsonAsync + ReadFromJsonAsync, EnsureSuccessStatusCode, no retries, no sessions.
/// </summary>
public static class HandWritten
{
    public static HttpClient CreateHttpClient(HttpMessageHandler handler, Uri baseAddress)
    {
        var http = new HttpClient(handler, disposeHandler: true) { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", Payloads.UserAgent);
        return http;
    }

    public static async Task<WireSession> CreateAnonymousAsync(HttpClient http, string projectId, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync(
            "api/auth/anonymous", new AnonymousBody { ProjectId = projectId }, BenchJsonContext.Default.AnonymousBody, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync(BenchJsonContext.Default.WireSession, cancellationToken).ConfigureAwait(false))!;
    }

    public static async Task<WireRegisterResponse> RegisterAsync(HttpClient http, RegisterBody body, CancellationToken cancellationToken = default)
    {
        using var response = await http.PostAsJsonAsync("api/auth/local/register", body, BenchJsonContext.Default.RegisterBody, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync(BenchJsonContext.Default.WireRegisterResponse, cancellationToken).ConfigureAwait(false))!;
    }

    public static async Task<WireSessionInfo> GetSessionAsync(HttpClient http, string token, string projectId, CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/auth/local/session?projectId=" + Uri.EscapeDataString(projectId));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync(BenchJsonContext.Default.WireSessionInfo, cancellationToken).ConfigureAwait(false))!;
    }
}
