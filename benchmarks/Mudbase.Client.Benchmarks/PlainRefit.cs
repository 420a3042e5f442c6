using System.Net.Http.Headers;
using Refit;

namespace Mudbase.Benchmarks;

/// <summary>The same three calls through plain Refit (source-generated, stock settings, Task&lt;T&gt; methods).</summary>
public interface IPlainRefitAuthApi
{
    [Post("/api/auth/anonymous")]
    Task<WireSession> CreateAnonymousAsync([Body] AnonymousBody body, CancellationToken cancellationToken);

    [Post("/api/auth/local/register")]
    Task<WireRegisterResponse> RegisterAsync([Body] RegisterBody body, CancellationToken cancellationToken);

    [Get("/api/auth/local/session")]
    Task<WireSessionInfo> GetSessionAsync([Query] string projectId, [Authorize("Bearer")] string token, CancellationToken cancellationToken);
}

public static class PlainRefit
{
    /// <summary>Stock settings over the benchmark's context, as the issue describes.</summary>
    public static IPlainRefitAuthApi Create(HttpMessageHandler handler, Uri baseAddress)
    {
        var http = new HttpClient(handler, disposeHandler: true) { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        http.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", Payloads.UserAgent);
        var settings = new RefitSettings(new SystemTextJsonContentSerializer(BenchJsonContext.Default.Options));
        return RestService.ForGenerated<IPlainRefitAuthApi>(http, settings);
    }
}
