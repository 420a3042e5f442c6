using System.Net;
using System.Net.Sockets;
using System.Runtime.ExceptionServices;
using Microsoft.Extensions.Logging;
using Mudbase.Diagnostics;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Mudbase.Http;

// CA1873: the log calls here that compute arguments sit behind explicit IsEnabled checks the analyzer does not follow;
// the unguarded ones (final failures, at Warning) pass values already at hand.
#pragma warning disable CA1873

/// <summary>
/// Re-sends a request when that is safe, under a per-attempt timeout. Reads (GET, HEAD, PUT, DELETE, OPTIONS)
/// are retried on 408, 429, 500, 502, 503, 504, connection failures and timeouts. Writes (POST, PATCH) are
/// re-sent only when the server cannot have processed them: a 429 or 503 that names its Retry-After, or a
/// connection that failed before anything was sent. A wait longer than <see cref="MudbaseRetryOptions.MaxRetryAfter"/>
/// is never sat out: the answer goes back to the caller at once.
/// </summary>
internal sealed class MudbaseRetryHandler : DelegatingHandler
{
    private static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("mudbase.request");
    private static readonly ResiliencePropertyKey<TimeSpan?> RetryAfterKey = new("mudbase.retry-after");
    private static readonly ResiliencePropertyKey<bool> AbandonedKey = new("mudbase.abandoned");
    private static readonly ResiliencePropertyKey<int> AttemptKey = new("mudbase.attempt");

    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly MudbaseRetryOptions _retry;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    public MudbaseRetryHandler(MudbaseClientOptions options, TimeProvider timeProvider, ILogger? logger = null)
    {
        _retry = options.Retry;
        _timeout = options.Timeout;
        _timeProvider = timeProvider;
        _logger = logger ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

        // Built once per client: nothing about the pipeline depends on the request.
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = timeProvider };
        if (_retry.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = _retry.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _retry.BaseDelay,
                // Caps backoff only: Polly leaves DelayGenerator's Retry-After waits as they are.
                MaxDelay = _retry.MaxDelay,
                ShouldHandle = ShouldRetryAsync,
                DelayGenerator = GetDelay,
                OnRetry = OnRetry,
            });
        }

        if (_timeout != Timeout.InfiniteTimeSpan)
        {
            builder.AddTimeout(_timeout);
        }

        _pipeline = builder.Build();
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, request);
        try
        {
            var outcome = await _pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    var attempt = ctx.Properties.GetValue(AttemptKey, 0) + 1;
                    ctx.Properties.Set(AttemptKey, attempt);
                    state.Request.Options.Set(MudbaseTelemetryHandler.AttemptKey, attempt);
                    try
                    {
                        return Outcome.FromResult(await state.Handler.SendOnceAsync(state.Request, ctx.CancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                },
                context,
                (Handler: this, Request: request)).ConfigureAwait(false);

            if (outcome.Result is { } abandoned && cancellationToken.IsCancellationRequested &&
                context.Properties.GetValue(AbandonedKey, false))
            {
                // The caller gave up just as a retryable failure came back: the call ends as cancelled, not as that failure.
                abandoned.Dispose();
                cancellationToken.ThrowIfCancellationRequested();
            }

            var attempts = context.Properties.GetValue(AttemptKey, 1);
            if (outcome.Exception is { } exception)
            {
                if (exception is OperationCanceledException && cancellationToken.IsCancellationRequested)
                {
                    // The caller's own cancellation stays what it is.
                    ExceptionDispatchInfo.Throw(exception);
                }

                Log.CallGotNoAnswer(_logger, request.Method.Method, MudbaseTelemetryHandler.PathOf(request), attempts, exception.GetType().Name);
                throw ToCallerException(request, exception);
            }

            var response = outcome.Result!;
            if (!response.IsSuccessStatusCode)
            {
                Log.CallFailed(_logger, request.Method.Method, MudbaseTelemetryHandler.PathOf(request), (int)response.StatusCode, attempts, MudbaseTelemetryHandler.RequestIdOf(response));
            }

            return response;
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>
    /// One attempt, body included: reading the body here puts it under the attempt's timeout, so a body that stops
    /// arriving cannot hold the call past it. Success bodies are read whole; error bodies up to a bound.
    /// </summary>
    private async Task<HttpResponseMessage> SendOnceAsync(HttpRequestMessage request, CancellationToken attemptToken)
    {
        var response = await base.SendAsync(request, attemptToken).ConfigureAwait(false);
        try
        {
            if (response.IsSuccessStatusCode)
            {
#if NET9_0_OR_GREATER
                await response.Content.LoadIntoBufferAsync(attemptToken).ConfigureAwait(false);
#else
                using var buffer = new MemoryStream();
                await response.Content.CopyToAsync(buffer, attemptToken).ConfigureAwait(false);
                ReplaceContent(response, buffer.ToArray());
#endif
            }
            else
            {
                var (body, _) = await ResponseBodyReader.ReadAsync(response.Content, ErrorResponseParser.MaxReadBodyBytes, attemptToken).ConfigureAwait(false);
                ReplaceContent(response, body);
            }

            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Puts a body that was read back as the response's content, with its headers, readable again.</summary>
    private static void ReplaceContent(HttpResponseMessage response, byte[] body)
    {
        var original = response.Content;
        var copy = new ByteArrayContent(body);
        foreach (var header in original.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        copy.Headers.ContentLength = body.Length;
        response.Content = copy;
        original.Dispose();
    }

    internal static bool IsIdempotent(HttpMethod method) =>
        method == HttpMethod.Get || method == HttpMethod.Head || method == HttpMethod.Put ||
        method == HttpMethod.Delete || method == HttpMethod.Options;

    private async ValueTask<bool> ShouldRetryAsync(RetryPredicateArguments<HttpResponseMessage> args)
    {
        var context = args.Context;
        context.Properties.Set(RetryAfterKey, null);
        var retry = await DecideAsync(args.Outcome, context).ConfigureAwait(false);

        // Polly stops here when the caller has cancelled; remember that a retry was due, so the call ends as cancelled.
        context.Properties.Set(AbandonedKey, retry && context.CancellationToken.IsCancellationRequested);
        return retry;
    }

    private async ValueTask<bool> DecideAsync(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        var request = context.Properties.GetValue(RequestKey, null!);
        var idempotent = IsIdempotent(request.Method);

        if (outcome.Exception is { } exception)
        {
            return exception switch
            {
                OperationCanceledException when context.CancellationToken.IsCancellationRequested => false,
                TimeoutRejectedException => idempotent,
                HttpRequestException http => idempotent || NothingWasSent(http),
                // Not the caller's token: a timeout of an inner HttpClient.
                OperationCanceledException => idempotent,
                _ => false,
            };
        }

        var response = outcome.Result!;
        switch ((int)response.StatusCode)
        {
            case 429:
            case 503:
                if (context.CancellationToken.IsCancellationRequested)
                {
                    return true; // a failure the caller no longer waits for; no need to read when to come back
                }

                var hint = await ReadRetryHintAsync(response, context.CancellationToken).ConfigureAwait(false);
                if (hint.Delay is { } delay && delay > _retry.MaxRetryAfter)
                {
                    // Waiting that long inside a call is wrong: the caller gets the answer and its RetryAfter now.
                    return false;
                }

                context.Properties.Set(RetryAfterKey, hint.Delay);
                // The limiter or the gateway turned the request away before processing it only when it says when to come back.
                return idempotent || hint.Explicit;
            case 408:
            case 500:
            case 502:
            case 504:
                return idempotent;
            default:
                return false;
        }
    }

    private ValueTask OnRetry(OnRetryArguments<HttpResponseMessage> args)
    {
        MudbaseDiagnostics.Retries.Add(1);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var request = args.Context.Properties.GetValue(RequestKey, null!);
            var reason = args.Outcome.Exception is { } ex ? ex.GetType().Name : ((int)args.Outcome.Result!.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Log.Retrying(_logger, request.Method.Method, MudbaseTelemetryHandler.PathOf(request), args.RetryDelay.TotalMilliseconds, reason, args.AttemptNumber + 2, _retry.MaxRetries + 1);
        }

        return default;
    }

    /// <summary>The server's Retry-After when it gave one; otherwise null, and Polly's exponential backoff with jitter.</summary>
    private static ValueTask<TimeSpan?> GetDelay(RetryDelayGeneratorArguments<HttpResponseMessage> args) =>
        new(args.Context.Properties.TryGetValue(RetryAfterKey, out var retryAfter) ? retryAfter : null);

    /// <summary>
    /// Retry-After from the header, else the body's <c>retryAfter</c>, else <c>ratelimit-reset</c>. Only the first two
    /// are the server naming a time to come back. The body was buffered by the attempt, so reading it here is cheap.
    /// </summary>
    private async ValueTask<(TimeSpan? Delay, bool Explicit)> ReadRetryHintAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var now = _timeProvider.GetUtcNow();
        if (ErrorResponseParser.RetryAfterFromHeader(response.Headers, now) is { } fromHeader)
        {
            return (fromHeader, true);
        }

        var (body, truncated) = await ResponseBodyReader.ReadBufferedAsync(response.Content, ErrorResponseParser.MaxReadBodyBytes, cancellationToken).ConfigureAwait(false);
        var info = ErrorResponseParser.Parse(response, body, truncated, now);
        return (info.RetryAfter, info.RetryAfterSource is RetryAfterSource.Header or RetryAfterSource.Body);
    }

    /// <summary>The connection failed before the request left: nothing can have been processed.</summary>
    internal static bool NothingWasSent(HttpRequestException exception)
    {
        if (exception.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError)
        {
            return true;
        }

        for (Exception? inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable or SocketError.NetworkUnreachable })
            {
                return true;
            }
        }

        return false;
    }

    private Exception ToCallerException(HttpRequestMessage request, Exception exception)
    {
        var what = $"{request.Method} {request.RequestUri?.AbsolutePath}";
        var why = IsIdempotent(request.Method) ? "" : $" It was not re-sent: a {request.Method} may already have been processed.";
        switch (exception)
        {
            case TimeoutRejectedException or OperationCanceledException:
                return new MudbaseTransportException(
                    $"{what} timed out: no answer within {_timeout.TotalSeconds:0.###} s.{why}",
                    new TimeoutException($"No answer within {_timeout}.", exception));
            case HttpRequestException http:
                return new MudbaseTransportException($"{what} failed: {http.Message}{(NothingWasSent(http) ? "" : why)}", http);
            default:
                ExceptionDispatchInfo.Throw(exception);
                return exception;
        }
    }
}
