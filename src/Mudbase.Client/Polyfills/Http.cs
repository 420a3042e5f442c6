using System.Diagnostics.CodeAnalysis;
using System.Net;

namespace System.Net.Http;

/// <summary>A typed key of <see cref="HttpRequestOptions"/>, as in .NET 5.</summary>
internal readonly struct HttpRequestOptionsKey<TValue>(string key)
{
    public string Key { get; } = key;
}

/// <summary>
/// .NET 5's typed view of a request's options, over what .NET Framework calls <c>HttpRequestMessage.Properties</c>
/// (the same dictionary Refit fills from <c>RefitSettings.HttpRequestMessageOptions</c> there).
/// </summary>
internal sealed class HttpRequestOptions(IDictionary<string, object> properties)
{
    public bool TryGetValue<TValue>(HttpRequestOptionsKey<TValue> key, out TValue value)
    {
        if (properties.TryGetValue(key.Key, out var found) && found is TValue typed)
        {
            value = typed;
            return true;
        }

        value = default;
        return false;
    }

    public void Set<TValue>(HttpRequestOptionsKey<TValue> key, TValue value) => properties[key.Key] = value!;
}

/// <summary>How a request's HTTP version may be negotiated (.NET 5).</summary>
internal enum HttpVersionPolicy
{
    RequestVersionOrLower,
    RequestVersionOrHigher,
    RequestVersionExact,
}

/// <summary>What an <see cref="HttpRequestException"/> says went wrong (.NET 8).</summary>
internal enum HttpRequestError
{
    Unknown,
    NameResolutionError,
    ConnectionError,
    SecureConnectionError,
}

internal static class HttpPolyfills
{
    extension(HttpRequestMessage request)
    {
        /// <summary>The request's options, kept in <see cref="HttpRequestMessage.Properties"/>.</summary>
        public HttpRequestOptions Options => new(request.Properties);

        /// <summary>
        /// Always <see cref="HttpVersionPolicy.RequestVersionOrLower"/>: .NET Framework's handler speaks HTTP/1.1 (and 1.0)
        /// and negotiates nothing, so there is no policy to keep.
        /// </summary>
        [SuppressMessage("Performance", "CA1822", Justification = "It stands in for an instance property of .NET 5.")]
        public HttpVersionPolicy VersionPolicy
        {
            get => HttpVersionPolicy.RequestVersionOrLower;
            set { }
        }
    }

    extension(HttpRequestException exception)
    {
        /// <summary>
        /// Read from the <see cref="WebException"/> that .NET Framework's handler (and Mono's) puts inside: the failures
        /// before a request leaves (name resolution, connect, TLS) are told apart; the rest are <see cref="HttpRequestError.Unknown"/>.
        /// </summary>
        public HttpRequestError HttpRequestError => (exception.InnerException as WebException)?.Status switch
        {
            WebExceptionStatus.NameResolutionFailure or WebExceptionStatus.ProxyNameResolutionFailure => HttpRequestError.NameResolutionError,
            WebExceptionStatus.ConnectFailure => HttpRequestError.ConnectionError,
            WebExceptionStatus.SecureChannelFailure or WebExceptionStatus.TrustFailure => HttpRequestError.SecureConnectionError,
            _ => HttpRequestError.Unknown,
        };
    }

    extension(HttpStatusCode)
    {
        /// <summary>429, which .NET Framework's enum does not name.</summary>
        public static HttpStatusCode TooManyRequests => (HttpStatusCode)429;
    }

    // .NET Framework reads bodies without a token, and a read already started on its network stream ignores one. These
    // stop waiting when the token is cancelled; the caller then disposes the response, which ends the read itself.
    extension(HttpContent content)
    {
        public Task<Stream> ReadAsStreamAsync(CancellationToken cancellationToken) =>
            content.ReadAsStreamAsync().WaitAsync(cancellationToken);

        public Task<byte[]> ReadAsByteArrayAsync(CancellationToken cancellationToken) =>
            content.ReadAsByteArrayAsync().WaitAsync(cancellationToken);

        public Task CopyToAsync(Stream stream, CancellationToken cancellationToken) =>
            content.CopyToAsync(stream).WaitAsync(cancellationToken);
    }
}
