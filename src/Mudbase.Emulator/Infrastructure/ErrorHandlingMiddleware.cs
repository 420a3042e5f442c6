namespace Mudbase.Emulator.Infrastructure;

/// <summary>
/// Turns exceptions into the hosted service's JSON error bodies: a client must never see a stack
/// trace or an empty 500.
/// </summary>
internal sealed partial class ErrorHandlingMiddleware(ILogger logger)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        try
        {
            await next(context).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (BadHttpRequestException exception) when (!context.Response.HasStarted)
        {
            // Kestrel's own complaints about the request, such as a body over its size limit.
            var error = exception.StatusCode == StatusCodes.Status413PayloadTooLarge ? "Request entity too large" : "Bad request";
            await WriteAsync(context, exception.StatusCode, new ErrorBody(error)).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Any failure must become the live 500 body, whatever its type.
        catch (Exception exception) when (!context.Response.HasStarted)
#pragma warning restore CA1031
        {
            LogUnhandled(logger, exception, context.Request.Method, context.Request.Path, context.TraceIdentifier);
            await WriteAsync(context, StatusCodes.Status500InternalServerError,
                new ErrorBody("Internal server error") { Code = "INTERNAL_ERROR" }).ConfigureAwait(false);
        }
    }

    private static Task WriteAsync(HttpContext context, int statusCode, ErrorBody body)
    {
        context.Response.Clear();
        context.Response.StatusCode = statusCode;
        return context.Response.WriteAsJsonAsync(body, EmulatorJsonContext.Wire.ErrorBody);
    }

    // The path only: query strings can carry tokens, which must not reach the logs.
    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception for {Method} {Path} (request {RequestId})")]
    private static partial void LogUnhandled(ILogger logger, Exception exception, string method, PathString path, string requestId);
}
