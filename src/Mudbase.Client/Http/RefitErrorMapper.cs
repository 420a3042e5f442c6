using System.Net;

namespace Mudbase.Http;

/// <summary>Refit's three exception factories: no <c>Refit.ApiException</c> ever reaches a user.</summary>
internal sealed class RefitErrorMapper
{
    private readonly TimeProvider _timeProvider;

    public RefitErrorMapper(TimeProvider timeProvider) => _timeProvider = timeProvider;

    /// <summary>Runs on every answer; null lets Refit read a success body.</summary>
    public ValueTask<Exception?> FromResponseAsync(HttpResponseMessage response)
    {
        if (response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NoContent && response.Content.Headers.ContentLength != 0)
        {
            return new((Exception?)null);
        }

        return CreateAsync(response);
    }

    private async ValueTask<Exception?> CreateAsync(HttpResponseMessage response)
    {
        // Refit leaves the response to us once we return an exception.
        using (response)
        {
            var (body, truncated) = await ReadBodyAsync(response).ConfigureAwait(false);

            if (response.IsSuccessStatusCode)
            {
                var info = ErrorResponseParser.Parse(response, body, truncated, _timeProvider.GetUtcNow());
                return new MudbaseException($"HTTP {(int)response.StatusCode}: the answer had no body where one was expected{RequestIdSuffix(info.RequestId)}", info, null);
            }

            return ErrorResponseParser.CreateException(response, body, truncated, _timeProvider.GetUtcNow());
        }
    }

    /// <summary>
    /// A failed answer's exception, its facts first passed through <paramref name="reword"/>: an area's wording for the
    /// refusals it knows better than the server says them. Disposes the response.
    /// </summary>
    public async ValueTask<MudbaseException> FromFailureAsync<TState>(HttpResponseMessage response, TState state, Func<MudbaseErrorInfo, HttpResponseMessage, TState, MudbaseErrorInfo> reword)
    {
        using (response)
        {
            var (body, truncated) = await ReadBodyAsync(response).ConfigureAwait(false);
            var info = ErrorResponseParser.Parse(response, body, truncated, _timeProvider.GetUtcNow());
            return ErrorResponseParser.CreateException(reword(info, response, state));
        }
    }

    /// <summary>A success whose body is not the expected JSON (HTML, cut, wrong shape or types).</summary>
    public async ValueTask<Exception?> FromUnreadableBodyAsync(HttpResponseMessage response, Exception exception)
    {
        var (body, truncated) = await ReadBodyAsync(response).ConfigureAwait(false);
        var info = ErrorResponseParser.Parse(response, body, truncated, _timeProvider.GetUtcNow());
        return new MudbaseException(
            $"HTTP {(int)response.StatusCode}: the answer is not the JSON expected ({exception.GetType().Name}){RequestIdSuffix(info.RequestId)}",
            new MudbaseErrorInfo
            {
                StatusCode = info.StatusCode,
                ReasonPhrase = info.ReasonPhrase,
                RequestId = info.RequestId,
                RateLimit = info.RateLimit,
                ResponseBody = info.ResponseBody,
            },
            exception);
    }

    /// <summary>No answer. The retry handler has already wrapped what it saw; the caller's cancellation passes through.</summary>
    public static Exception FromTransport(HttpRequestMessage request, Exception exception, CancellationToken cancellationToken)
    {
        switch (exception)
        {
            case MudbaseException:
                return exception;
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return exception;
            case OperationCanceledException:
                return new MudbaseTransportException($"{request.Method} {request.RequestUri?.AbsolutePath} timed out.", new TimeoutException(exception.Message, exception));
            case HttpRequestException or IOException:
                return new MudbaseTransportException($"{request.Method} {request.RequestUri?.AbsolutePath} failed: {exception.Message}", exception);
            default:
                return exception;
        }
    }

    /// <summary>
    /// The body, which the retry handler read into memory inside the attempt's timeout: no read here can wait on the
    /// network, so none needs a timeout of its own (Refit gives these factories no token).
    /// </summary>
    private static async Task<(byte[] Body, bool Truncated)> ReadBodyAsync(HttpResponseMessage response)
    {
        try
        {
            return await ResponseBodyReader.ReadBufferedAsync(response.Content, ErrorResponseParser.MaxReadBodyBytes, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // The status still decides the type; the body is simply unknown.
            return (Array.Empty<byte>(), true);
        }
    }

    private static string RequestIdSuffix(string? requestId) => string.IsNullOrEmpty(requestId) ? "" : $" (request id {requestId})";
}
