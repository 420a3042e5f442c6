using System.Net;
using Microsoft.Extensions.Logging;
using Mudbase.Diagnostics;

namespace Mudbase.Http;

// CA1873: the log calls here that compute arguments sit behind explicit IsEnabled checks the analyzer does not follow;
// the unguarded ones (final failures, at Warning) pass values already at hand.
#pragma warning disable CA1873

/// <summary>
/// Logs and measures each attempt (it sits under the retry handler): start and end at Debug, with method, path
/// without query string, status, elapsed time, attempt and request id. Never a header value or a body.
/// </summary>
internal sealed class MudbaseTelemetryHandler : DelegatingHandler
{
    /// <summary>Which attempt a request is on, set by the retry handler before each one.</summary>
    internal static readonly HttpRequestOptionsKey<int> AttemptKey = new("Mudbase.Attempt");

    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;

    public MudbaseTelemetryHandler(ILogger logger, TimeProvider timeProvider)
    {
        _logger = logger;
        _timeProvider = timeProvider;
    }

    /// <summary>Whether disposing this handler disposes the transport under it; false for a handler the caller owns.</summary>
    internal bool DisposesInnerHandler { get; init; } = true;

    protected override void Dispose(bool disposing)
    {
        // DelegatingHandler would dispose the transport too; a caller's handler stays usable (it may serve other clients).
        if (!disposing || DisposesInnerHandler)
        {
            base.Dispose(disposing);
        }
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var logging = _logger.IsEnabled(LogLevel.Debug);
        if (!logging && !MudbaseDiagnostics.RequestDuration.Enabled && !MudbaseDiagnostics.RateLimited.Enabled)
        {
            // Nobody listens: no timestamps, no state machine, nothing between the retry handler and the transport.
            return base.SendAsync(request, cancellationToken);
        }

        return SendObservedAsync(request, logging, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendObservedAsync(HttpRequestMessage request, bool logging, CancellationToken cancellationToken)
    {
        var attempt = AttemptOf(request);
        if (logging)
        {
            Log.RequestStarting(_logger, request.Method.Method, PathOf(request), attempt);
        }

        var started = _timeProvider.GetTimestamp();
        HttpResponseMessage response;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (_logger.IsEnabled(LogLevel.Debug))
        {
            Log.RequestGotNoAnswer(_logger, request.Method.Method, PathOf(request), _timeProvider.GetElapsedTime(started).TotalMilliseconds, attempt, ex.GetType().Name);
            throw;
        }

        var elapsed = _timeProvider.GetElapsedTime(started);
        var status = (int)response.StatusCode;
        if (MudbaseDiagnostics.RequestDuration.Enabled)
        {
            MudbaseDiagnostics.RequestDuration.Record(
                elapsed.TotalSeconds,
                new KeyValuePair<string, object?>("http.request.method", request.Method.Method),
                new KeyValuePair<string, object?>("http.response.status_code", status));
        }

        if (response.StatusCode == HttpStatusCode.TooManyRequests && MudbaseDiagnostics.RateLimited.Enabled)
        {
            MudbaseDiagnostics.RateLimited.Add(1);
        }

        if (logging)
        {
            Log.RequestFinished(_logger, request.Method.Method, PathOf(request), status, elapsed.TotalMilliseconds, attempt, RequestIdOf(response));
        }

        return response;
    }

    /// <summary>Which attempt the request is on: 1 until the retry handler numbers a later one.</summary>
    internal static int AttemptOf(HttpRequestMessage request) => request.Options.TryGetValue(AttemptKey, out var n) ? n : 1;

    /// <summary>The path only: a query string may carry values that are not ours to log.</summary>
    internal static string PathOf(HttpRequestMessage request) => request.RequestUri?.AbsolutePath ?? "";

    internal static string? RequestIdOf(HttpResponseMessage response) => ErrorResponseParser.GetHeader(response.Headers, "x-request-id");
}
