using Microsoft.Extensions.Logging;
using Refit;
using Mudbase.Serialization;

namespace Mudbase.Http;

/// <summary>
/// Builds the one transport every client shares, whatever sits at the bottom (its own socket handler, the
/// caller's HttpClient, or IHttpClientFactory): the handler pipeline, the HttpClient Refit calls through, and
/// the Refit settings that turn every failure into a <see cref="MudbaseException"/>.
/// </summary>
internal static class MudbaseHttp
{
    internal const string UserAgent = "mudbase-dotnet/" + Internal.MudbaseVersion.Value;

    // disposeTransport: false for a caller's handler, which may outlive the client (and serve others).
    public static HttpClient CreateHttpClient(MudbaseClientOptions options, HttpMessageHandler transport, TimeProvider timeProvider, ILogger logger, bool disposeTransport = true)
    {
        // The session's handler sits outside the retries, so a refresh-and-retry after a 401 is itself retried as
        // usual; telemetry sits under them, so that each attempt is logged and measured.
        var pipeline = new MudbaseAuthenticationHandler
        {
            InnerHandler = new MudbaseRetryHandler(options, timeProvider, logger)
            {
                InnerHandler = new MudbaseTelemetryHandler(logger, timeProvider) { InnerHandler = transport, DisposesInnerHandler = disposeTransport },
            },
        };
        var client = new HttpClient(pipeline, disposeHandler: true)
        {
            BaseAddress = options.BaseUrl,
            // Each attempt has its own timeout in the retry handler; an overall one would cut retries short.
            Timeout = Timeout.InfiniteTimeSpan,
        };

        var headers = client.DefaultRequestHeaders;
        // Raw values, as they go on the wire: HttpClient copies a raw default header into each request by reference, where
        // a parsed one (headers.Accept.Add) is cloned per request and formatted again when a transport writes or copies it.
        headers.TryAddWithoutValidation("Accept", "application/json");
        headers.TryAddWithoutValidation("User-Agent", UserAgent);
        if (options.ApiKey is { } apiKey)
        {
            headers.TryAddWithoutValidation("X-API-Key", apiKey);
        }

        return client;
    }

    /// <summary>Settings for one client and all its views (a request's session comes with the request, not from here).</summary>
    public static RefitSettings CreateRefitSettings(RefitErrorMapper errors)
    {
        return new RefitSettings(MudbaseContentSerializer.Instance)
        {
            RequestBodySerialization = RequestBodySerializationMode.Buffered,
            ExceptionFactory = errors.FromResponseAsync,
            DeserializationExceptionFactory = errors.FromUnreadableBodyAsync,
            TransportExceptionFactory = RefitErrorMapper.FromTransport,
        };
    }

    /// <summary>The default transport of <c>new MudbaseClient(options)</c> and of <c>AddMudbaseClient</c>.</summary>
    public static HttpMessageHandler CreateDefaultHandler()
    {
#if NETFRAMEWORK
        // .NET Framework has no SocketsHttpHandler. Its HttpClientHandler pools connections through ServicePointManager,
        // which owns their lifetime and per-host limit, and has no connect timeout: the per-attempt timeout bounds a connect.
        return new HttpClientHandler
        {
            // A redirect would carry X-API-Key to wherever it points, and turn a POST into a bodiless GET: the answer is the 3xx.
            AllowAutoRedirect = false,
        };
#else
        return new SocketsHttpHandler
        {
            // A redirect would carry X-API-Key to wherever it points, and turn a POST into a bodiless GET: the answer is the 3xx.
            AllowAutoRedirect = false,
            // Re-resolve DNS now and then on a long-lived client.
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(15),
        };
#endif
    }
}
