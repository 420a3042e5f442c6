namespace Mudbase.Emulator.Chaos;

/// <summary>
/// Injects the faults of chaos mode (see <see cref="EmulatorChaosOptions"/>): one draw per admitted
/// request, then either an answer (or a reset) in place of the endpoint, or the endpoint first, into
/// a buffer, and the fault on what it answered. With chaos off it costs one read per request.
/// </summary>
/// <param name="state">The chaos in force and its counts.</param>
/// <param name="timeProvider">The emulator's clock, which times slow answers.</param>
/// <param name="logger">Where each fault is logged (Information), so that a failing run shows what it got.</param>
/// <param name="stopping">Signalled when the emulator stops: held answers are dropped rather than waited out.</param>
internal sealed partial class ChaosMiddleware(ChaosState state, TimeProvider timeProvider, ILogger logger, CancellationToken stopping)
{
    private static readonly TimeSpan TruncationGrace = TimeSpan.FromMilliseconds(100);

    public Task InvokeAsync(HttpContext context, RequestDelegate next) =>
        state.Current is { } settings && Applies(settings, context.Request)
            ? InjectAsync(context, next, settings)
            : next(context);

    // The emulator's own routes (outbox, OAuth consent page) are the test's instruments, not the
    // service under test: a fault there would break the test, not the client. The object store's
    // route (a direct upload's PUT) is the service's, as its storage host is live.
    private static bool Applies(ChaosSettings settings, HttpRequest request) =>
        !request.Path.StartsWithSegments("/emulator", StringComparison.OrdinalIgnoreCase)
        && (settings.Applies?.Invoke(request)
            ?? (request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
                || request.Path.StartsWithSegments(Storage.StorageEndpoints.ObjectStorePath, StringComparison.OrdinalIgnoreCase)));

    private async Task InjectAsync(HttpContext context, RequestDelegate next, ChaosSettings settings)
    {
        var fault = state.Draw(settings, context.Request.Path.Value ?? "", Storage.StorageEndpoints.IsDownload(context.Request));
        if (fault == ChaosFault.None)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        LogFault(logger, fault, context.Request.Method, context.Request.Path, context.TraceIdentifier);
        try
        {
            if (fault == ChaosFault.ResetDuringDownload)
            {
                await CutDownload.RunAsync(context, next).ConfigureAwait(false);
            }
            else if (fault.IsAfterProcessing())
            {
                var body = await BufferedResponse.CaptureAsync(context, next).ConfigureAwait(false);
                await AnswerAfterAsync(context, fault, body, settings).ConfigureAwait(false);
            }
            else
            {
                await AnswerInsteadAsync(context, fault).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
    }

    private static Task AnswerInsteadAsync(HttpContext context, ChaosFault fault)
    {
        var response = context.Response;
        switch (fault)
        {
            case ChaosFault.ResetBeforeAnswer:
                context.Abort();
                return Task.CompletedTask;
            case ChaosFault.ServerErrorJson:
                return ChaosAnswers.ServerErrorAsync(response);
            case ChaosFault.BadGatewayHtml:
                return ChaosAnswers.ProxyPageAsync(response, StatusCodes.Status502BadGateway);
            case ChaosFault.ServiceUnavailable:
                return ChaosAnswers.ServiceUnavailableAsync(response);
            case ChaosFault.RateLimitedShort:
                return ChaosAnswers.RateLimitedAsync(response, 1);
            case ChaosFault.RateLimitedLong:
                return ChaosAnswers.RateLimitedAsync(response, 900);
            default:
                throw new InvalidOperationException($"{fault} is not a fault before processing.");
        }
    }

    /// <param name="context">The request, processed: its status and headers are on the response, unsent.</param>
    /// <param name="fault">A fault after processing.</param>
    /// <param name="body">The body the endpoint wrote.</param>
    /// <param name="settings">The chaos that drew the fault.</param>
    private async Task AnswerAfterAsync(HttpContext context, ChaosFault fault, byte[] body, ChaosSettings settings)
    {
        var response = context.Response;
        switch (fault)
        {
            case ChaosFault.ResetAfterProcessing:
                context.Abort();
                break;
            case ChaosFault.GatewayTimeoutHtml:
                await ChaosAnswers.ProxyPageAsync(response, StatusCodes.Status504GatewayTimeout).ConfigureAwait(false);
                break;
            case ChaosFault.SlowResponse:
                if (await HoldAsync(context, settings.SlowResponseDelay).ConfigureAwait(false))
                {
                    await BufferedResponse.SendAsync(response, body).ConfigureAwait(false);
                }

                break;
            case ChaosFault.TruncatedJson:
                await SendTruncatedAsync(context, body).ConfigureAwait(false);
                break;
            case ChaosFault.EmptyBody:
                await BufferedResponse.SendAsync(response, ReadOnlyMemory<byte>.Empty).ConfigureAwait(false);
                break;
            case ChaosFault.UnexpectedShape:
                await ChaosAnswers.UnexpectedShapeAsync(response).ConfigureAwait(false);
                break;
            case ChaosFault.ExtraFields:
                await BufferedResponse.SendAsync(response, ExtraFields.AddTo(body) ?? body).ConfigureAwait(false);
                break;
            default:
                throw new InvalidOperationException($"{fault} is not a fault after processing.");
        }
    }

    /// <summary>Holds the answer for <paramref name="delay"/>.</summary>
    /// <returns>
    /// Whether to send it: not when the client left (the usual end: it timed out) or the emulator is
    /// stopping, which closes the connection instead, so that disposing an emulator does not wait
    /// out every held answer.
    /// </returns>
    private async Task<bool> HoldAsync(HttpContext context, TimeSpan delay)
    {
        using var hold = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping);
        try
        {
            await Task.Delay(delay, timeProvider, hold.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (hold.IsCancellationRequested)
        {
            context.Abort();
            return false;
        }
    }

    /// <summary>
    /// Sends the real status and headers, a <c>Content-Length</c> of the whole body, the first half of
    /// it, and closes the connection. An empty body (a redirect) has nothing to cut: its headers go
    /// out without a length, so that the close still leaves the answer unfinished.
    /// </summary>
    private static async Task SendTruncatedAsync(HttpContext context, byte[] body)
    {
        var response = context.Response;
        if (body.Length > 0)
        {
            response.ContentLength = body.Length;
        }

        await response.StartAsync(context.RequestAborted).ConfigureAwait(false);
        await response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), context.RequestAborted).ConfigureAwait(false);
        await CloseAfterFlushAsync(context, response.Body).ConfigureAwait(false);
    }

    /// <summary>Flushes what was written of an answer so that it reaches the client, then closes the connection.</summary>
    public static async Task CloseAfterFlushAsync(HttpContext context, Stream body)
    {
        await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        // Kestrel aborts with a reset, which drops what its send loop has not yet written to the
        // socket, and makes the client's system drop what the client has not yet read: without a
        // moment for both, the client would see a reset with nothing before it, not a cut answer.
        // Real time, not the emulator's clock: this waits on the network, and a fake clock would hang it.
        await Task.Delay(TruncationGrace, context.RequestAborted).ConfigureAwait(false);
        context.Abort();
    }

    // The path only: query strings can carry tokens, which must not reach the logs.
    [LoggerMessage(Level = LogLevel.Information, Message = "Chaos: {Fault} for {Method} {Path} (request {RequestId})")]
    private static partial void LogFault(ILogger logger, ChaosFault fault, string method, PathString path, string requestId);
}
