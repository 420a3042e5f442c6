using Microsoft.Extensions.Http;

namespace Mudbase.Http;

/// <summary>
/// Sends through an HttpClient the caller owns. HttpClient refuses to send one request message twice, and every
/// request reaching this transport has been sent already: by the SDK's own HttpClient, which Refit sends through (it
/// calls HttpClient's non-virtual SendAsync, which marks the message), and again on a retry. So each attempt goes out as
/// a copy that shares the (buffered) content; the copy takes the headers as they are stored, without parsing them again.
/// </summary>
internal sealed class HttpClientTransport : HttpMessageHandler
{
    private readonly HttpClient _client;

    public HttpClientTransport(HttpClient client) => _client = client;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        // The copy is not disposed: that would dispose the shared content before a retry.
        _client.SendAsync(Copy(request), HttpCompletionOption.ResponseHeadersRead, cancellationToken);

    /// <summary>A new message with the request's headers as they are now (a refreshed token included) and its content.</summary>
    private static HttpRequestMessage Copy(HttpRequestMessage request)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri)
        {
            Content = request.Content,
            Version = request.Version,
            VersionPolicy = request.VersionPolicy,
        };
        var headers = copy.Headers;
#if NETFRAMEWORK
        foreach (var header in request.Headers)
        {
            headers.TryAddWithoutValidation(header.Key, header.Value);
        }
#else
        // The stored values, raw: no enumerator or value array allocated, nothing parsed or validated a second time.
        foreach (var header in request.Headers.NonValidated)
        {
            if (header.Value.Count == 1)
            {
                headers.TryAddWithoutValidation(header.Key, header.Value.ToString());
            }
            else
            {
                foreach (var value in header.Value)
                {
                    headers.TryAddWithoutValidation(header.Key, value);
                }
            }
        }
#endif

        return copy;
    }

    // The caller owns the HttpClient: never dispose it.
}

/// <summary>
/// Sends through IHttpClientFactory's current handler chain for a name, fetched per request, so a singleton
/// client follows the factory's handler rotation (DNS changes) instead of holding one handler forever.
/// </summary>
internal sealed class HttpClientFactoryTransport : HttpMessageHandler
{
    private readonly IHttpMessageHandlerFactory _factory;
    private readonly string _name;
    private volatile Invoker? _current;

    public HttpClientFactoryTransport(IHttpMessageHandlerFactory factory, string name)
    {
        _factory = factory;
        _name = name;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var handler = _factory.CreateHandler(_name);
        var current = _current;
        if (current is null || !ReferenceEquals(current.Handler, handler))
        {
            // The factory hands out the same chain until it rotates: one invoker per chain, not per request.
            _current = current = new Invoker(handler);
        }

        return current.SendAsync(request, cancellationToken);
    }

    private sealed class Invoker(HttpMessageHandler handler) : HttpMessageInvoker(handler, disposeHandler: false)
    {
        public HttpMessageHandler Handler { get; } = handler;
    }
}
