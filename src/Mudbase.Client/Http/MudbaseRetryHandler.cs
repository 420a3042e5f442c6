using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
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
/// is never sat out: the answer goes back to the caller at once. An upload's streamed body is re-sent only when it can be
/// rewound. A request marked <see cref="StreamedProperty"/> gets its success body as it arrives, not buffered.
/// </summary>
internal sealed class MudbaseRetryHandler : DelegatingHandler
{
    /// <summary>
    /// The name under which a request asks for its success body unbuffered (Refit's <c>[Property(StreamedProperty)] bool</c>,
    /// or <see cref="StreamedKey"/> set on the request):
    /// a download. The attempt's timeout then covers the time to the headers; the caller's token, reading the body, the rest.
    /// </summary>
    internal const string StreamedProperty = "Mudbase.Streamed";

    internal static readonly HttpRequestOptionsKey<bool> StreamedKey = new(StreamedProperty);

    private static readonly object BoxedTrue = true;

    /// <summary>Marks a request made without Refit as <see cref="StreamedProperty"/>, with a value boxed once for all.</summary>
    internal static void MarkStreamed(HttpRequestMessage request) =>
#if NETFRAMEWORK
        request.Properties[StreamedProperty] = BoxedTrue;
#else
        ((IDictionary<string, object?>)request.Options)[StreamedProperty] = BoxedTrue;
#endif

    /// <summary>Why a request that would have been re-sent was not (its body could not be sent again), for the caller's error.</summary>
    internal static readonly HttpRequestOptionsKey<string> NotResentKey = new("Mudbase.NotResent");

    /// <summary>Timeout sources on the system clock, re-armed for each attempt (as Polly's timeout strategy pools its own).</summary>
    private static readonly ConcurrentQueue<CancellationTokenSource> TimeoutPool = new();

    private ResiliencePipeline<HttpResponseMessage>? _pipeline;   // built on the first outcome that may be retried
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
    }

    /// <summary>
    /// The retry pipeline, built the first time an outcome may be retried: most clients never need it, and building it
    /// (Polly's options validation among it) is a start-up cost. A race may build it twice, harmlessly.
    /// </summary>
    private ResiliencePipeline<HttpResponseMessage> Pipeline => _pipeline ??= BuildPipeline();

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline() =>
        // Only the retry strategy: nothing about it depends on the request, and SendAsync enters it only when retries are
        // on. No timeout strategy: every attempt, the replayed first one included, runs under SendAttemptAsync's timeout.
        new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = _timeProvider }
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
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
            })
            .Build();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // The first attempt runs outside Polly: most calls end with it (a success, or an answer never retried) and then
        // cost no pipeline. Only an outcome that may be retried enters the pipeline, replayed there as attempt 1.
        if (request.Options.TryGetValue(MudbaseTelemetryHandler.AttemptKey, out _))
        {
            // A request sent again (the session handler's retry after a 401) starts over at attempt 1.
            request.Options.Set(MudbaseTelemetryHandler.AttemptKey, 1);
        }

        // No Polly type on this path: a call that ends with its first attempt does not even load Polly.
        HttpResponseMessage? response = null;
        Exception? failure = null;
        try
        {
            response = await SendAttemptAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The caller's own cancellation stays what it is.
            throw;
        }
        catch (Exception ex)
        {
            failure = ex;
        }

        if (_retry.MaxRetries == 0 || !MayRetry(response, failure))
        {
            return Finish(request, response, failure, attempts: 1);
        }

        return await RetryAsync(request, response, failure, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The first attempt's outcome may be retried: the pipeline takes over, with that outcome as its attempt 1.</summary>
    private async Task<HttpResponseMessage> RetryAsync(HttpRequestMessage request, HttpResponseMessage? response, Exception? failure, CancellationToken cancellationToken)
    {
        var first = failure is null ? Outcome.FromResult(response!) : Outcome.FromException<HttpResponseMessage>(failure);
        var replay = new StrongBox<Outcome<HttpResponseMessage>?>(first);
        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(Keys.RequestKey, request);
        try
        {
            var outcome = await Pipeline.ExecuteOutcomeAsync(
                static async (ctx, state) =>
                {
                    if (state.Replay.Value is { } pending)
                    {
                        // Attempt 1, already made.
                        state.Replay.Value = null;
                        return pending;
                    }

                    // The request carries its attempt number (for the telemetry handler, and for the call's last log line).
                    state.Request.Options.Set(MudbaseTelemetryHandler.AttemptKey, MudbaseTelemetryHandler.AttemptOf(state.Request) + 1);
                    try
                    {
                        return Outcome.FromResult(await state.Handler.SendAttemptAsync(state.Request, ctx.CancellationToken).ConfigureAwait(false));
                    }
                    catch (Exception ex)
                    {
                        return Outcome.FromException<HttpResponseMessage>(ex);
                    }
                },
                context,
                (Handler: this, Request: request, Replay: replay)).ConfigureAwait(false);

            if (outcome.Result is { } abandoned && cancellationToken.IsCancellationRequested &&
                context.Properties.GetValue(Keys.AbandonedKey, false))
            {
                // The caller gave up just as a retryable failure came back: the call ends as cancelled, not as that failure.
                abandoned.Dispose();
                cancellationToken.ThrowIfCancellationRequested();
            }

            if (outcome.Exception is OperationCanceledException canceled && cancellationToken.IsCancellationRequested)
            {
                // The caller's own cancellation stays what it is.
                ExceptionDispatchInfo.Throw(canceled);
            }

            return Finish(request, outcome.Result, outcome.Exception, MudbaseTelemetryHandler.AttemptOf(request));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    /// <summary>The call's last outcome: logged when it failed, then the answer, or the exception the caller sees.</summary>
    private HttpResponseMessage Finish(HttpRequestMessage request, HttpResponseMessage? response, Exception? exception, int attempts)
    {
        if (exception is not null)
        {
            Log.CallGotNoAnswer(_logger, request.Method.Method, MudbaseTelemetryHandler.PathOf(request), attempts, exception.GetType().Name);
            throw ToCallerException(request, exception);
        }

        if (!response!.IsSuccessStatusCode)
        {
            Log.CallFailed(_logger, request.Method.Method, MudbaseTelemetryHandler.PathOf(request), (int)response.StatusCode, attempts, MudbaseTelemetryHandler.RequestIdOf(response));
        }

        return response;
    }

    /// <summary>
    /// One attempt, body included, under the per-attempt timeout: reading the body here puts it under that timeout, so a
    /// body that stops arriving cannot hold the call past it. Success bodies are read whole; error bodies up to a bound.
    /// A timeout surfaces as Polly's <see cref="TimeoutRejectedException"/>, which the retry decision and the caller's
    /// exception are written against. One method, not two, so that a suspended attempt allocates one state machine; a
    /// <see cref="ValueTask{TResult}"/>, so that one completing at once allocates nothing.
    /// </summary>
#if NET
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
#endif
    private async ValueTask<HttpResponseMessage> SendAttemptAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var timeout = _timeout == Timeout.InfiniteTimeSpan ? null : RentTimeout();
        var link = timeout is null ? default : cancellationToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), timeout);
        var attemptToken = timeout?.Token ?? cancellationToken;
        // An upload re-arms the timeout with each chunk it writes: the timeout bounds a stall, not the size of the body.
        var transfer = (request.Content as TransferContent)?.Transfer;
        transfer?.Watch(timeout, _timeout);
        var unbuffered = false;
        HttpResponseMessage? response = null;
        try
        {
            response = await base.SendAsync(request, attemptToken).ConfigureAwait(false);
            if (response.Content is ByteArrayContent)
            {
                // Already in memory (an in-process transport): nothing can stall, nothing to copy.
            }
            else if (response.IsSuccessStatusCode && request.Options.TryGetValue(StreamedKey, out var streamed) && streamed)
            {
                // A download: the body is the caller's to read as it arrives.
                unbuffered = true;
            }
            else if (response.IsSuccessStatusCode)
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
        catch (OperationCanceledException ex) when (timeout is not null && !cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            response?.Dispose();
            throw TimedOut(ex);
        }
        catch
        {
            response?.Dispose();
            throw;
        }
        finally
        {
            link.Dispose();
            transfer?.Unwatch();
            if (timeout is not null)
            {
                if (transfer is null && !unbuffered)
                {
                    ReturnTimeout(timeout);
                }
                else
                {
                    // The transport or an upload's last chunk may still hold its token: never pooled for another request.
                    timeout.Dispose();
                }
            }
        }
    }

    /// <summary>Polly's exception for a timeout, made here so that only a timeout loads Polly's assembly.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1859", Justification = "Typed as Exception so that compiling the caller does not load Polly.")]
    private Exception TimedOut(OperationCanceledException cancellation) =>
        new TimeoutRejectedException($"The operation didn't complete within the allowed timeout of '{_timeout}'.", _timeout, cancellation);

    /// <summary>A timeout source for one attempt: pooled on the system clock (no timer allocated per attempt), new on any other.</summary>
    private CancellationTokenSource RentTimeout()
    {
#if NETFRAMEWORK
        // .NET Framework cannot reset a source, so nothing is pooled; Microsoft.Bcl.TimeProvider gives this factory for the constructor.
        return _timeProvider.CreateCancellationTokenSource(_timeout);
#else
        if (_timeProvider != TimeProvider.System)
        {
            return new CancellationTokenSource(_timeout, _timeProvider);
        }

        if (!TimeoutPool.TryDequeue(out var source))
        {
            source = new CancellationTokenSource();
        }

        source.CancelAfter(_timeout);
        return source;
#endif
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "Static only on .NET Framework, which pools nothing.")]
    private void ReturnTimeout(CancellationTokenSource source)
    {
#if !NETFRAMEWORK
        // A source that fired (or was cancelled through the caller's token) cannot be reset, and goes.
        if (_timeProvider == TimeProvider.System && TimeoutPool.Count < 1024 && source.TryReset())
        {
            TimeoutPool.Enqueue(source);
            return;
        }
#endif
        source.Dispose();
    }

    /// <summary>Whether <see cref="DecideAsync"/> could retry this outcome: an exception, or a status it retries for some verb.</summary>
    private static bool MayRetry(HttpResponseMessage? response, Exception? failure) =>
        failure is not null || (int)response!.StatusCode is 408 or 429 or 500 or 502 or 503 or 504;

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
        context.Properties.Set(Keys.RetryAfterKey, null);
        var retry = await DecideAsync(args.Outcome, context).ConfigureAwait(false);

        // Polly stops here when the caller has cancelled; remember that a retry was due, so the call ends as cancelled.
        context.Properties.Set(Keys.AbandonedKey, retry && context.CancellationToken.IsCancellationRequested);
        return retry;
    }

    private async ValueTask<bool> DecideAsync(Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
        var request = context.Properties.GetValue(Keys.RequestKey, null!);
        if (!await MayBeResentAsync(request, outcome, context).ConfigureAwait(false))
        {
            return false;
        }

        if (request.Content is TransferContent { CanResend: false })
        {
            // It would be re-sent, but its body came from a stream that cannot be rewound: the caller's error says so.
            request.Options.Set(NotResentKey, NotResentReason);
            return false;
        }

        return true;
    }

    internal const string NotResentReason =
        "It was not re-sent: its body comes from a stream that cannot be rewound (CanSeek is false) and had already been read. " +
        "Upload from a seekable stream (a file, a MemoryStream) to let the SDK retry.";

    private async ValueTask<bool> MayBeResentAsync(HttpRequestMessage request, Outcome<HttpResponseMessage> outcome, ResilienceContext context)
    {
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

                context.Properties.Set(Keys.RetryAfterKey, hint.Delay);
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
            var request = args.Context.Properties.GetValue(Keys.RequestKey, null!);
            var reason = args.Outcome.Exception is { } ex ? ex.GetType().Name : ((int)args.Outcome.Result!.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            Log.Retrying(_logger, request.Method.Method, MudbaseTelemetryHandler.PathOf(request), args.RetryDelay.TotalMilliseconds, reason, args.AttemptNumber + 2, _retry.MaxRetries + 1);
        }

        return default;
    }

    /// <summary>The server's Retry-After when it gave one; otherwise null, and Polly's exponential backoff with jitter.</summary>
    private static ValueTask<TimeSpan?> GetDelay(RetryDelayGeneratorArguments<HttpResponseMessage> args) =>
        new(args.Context.Properties.TryGetValue(Keys.RetryAfterKey, out var retryAfter) ? retryAfter : null);

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
        var why = request.Options.TryGetValue(NotResentKey, out var reason) ? " " + reason
            : IsIdempotent(request.Method) ? "" : $" It was not re-sent: a {request.Method} may already have been processed.";
        switch (exception)
        {
            case TimeoutRejectedException or OperationCanceledException:
                return new MudbaseTransportException(
                    $"{what} timed out: no answer within {_timeout.TotalSeconds:0.###} s.{why}",
                    new TimeoutException($"No answer within {_timeout}.", exception));
            case HttpRequestException http:
                return new MudbaseTransportException($"{what} failed: {http.Message}{(NothingWasSent(http) && reason is null ? "" : why)}", http);
            default:
                ExceptionDispatchInfo.Throw(exception);
                return exception;
        }
    }

    /// <summary>The pipeline's context properties: in a class of their own, so that loading the handler does not load Polly.</summary>
    private static class Keys
    {
        public static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("mudbase.request");
        public static readonly ResiliencePropertyKey<TimeSpan?> RetryAfterKey = new("mudbase.retry-after");
        public static readonly ResiliencePropertyKey<bool> AbandonedKey = new("mudbase.abandoned");
    }
}
