namespace Mudbase.Emulator.Infrastructure;

/// <summary>Gives every response a fresh <c>x-request-id</c>, as the hosted service does.</summary>
internal static class RequestIdMiddleware
{
    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        // TraceIdentifier carries the id into log scopes too.
        context.TraceIdentifier = Guid.NewGuid().ToString();
        // Set when the response starts, because error handling clears headers set earlier.
        context.Response.OnStarting(static state =>
        {
            var httpContext = (HttpContext)state;
            httpContext.Response.Headers["x-request-id"] = httpContext.TraceIdentifier;
            return Task.CompletedTask;
        }, context);
        return next(context);
    }
}
