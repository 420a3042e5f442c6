using Microsoft.Extensions.Http;

namespace Mudbase.Http;

/// <summary>
/// Sends through an HttpClient the caller owns. HttpClient refuses to send one request message twice, and a
/// retry re-sends it, so each attempt goes out as a copy that shares the (buffered) content.
/// </summary>
internal sealed class HttpClientTransport : HttpMessageHandler
{
    private readonly HttpClient _client;

    public HttpClientTransport(HttpClient client) => _client = client;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri)
        {
            Content = request.Content,
            Version = request.Version,
            VersionPolicy = request.VersionPolicy,
        };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        // The copy is not disposed: that would dispose the shared content before a retry.
        return _client.SendAsync(copy, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
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
