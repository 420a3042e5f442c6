using System.Globalization;
using Mudbase.Emulator.Infrastructure;

namespace Mudbase.Emulator.RateLimiting;

/// <summary>
/// Applies per-IP buckets to each request: counts it, writes the <c>ratelimit-*</c> headers of the
/// tightest bucket, and answers 429 with <c>retry-after</c> once a bucket is exceeded.
/// </summary>
internal sealed class RateLimitMiddleware(IReadOnlyList<RateLimitBucket> buckets, TimeProvider timeProvider)
{
    private readonly FixedWindowCounters _counters = new();

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var applicable = buckets.Where(bucket => bucket.AppliesTo(context.Request)).ToList();
        if (applicable.Count == 0)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        var client = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var now = timeProvider.GetUtcNow();
        var state = _counters.Hit(applicable, client, now);
        // Whole seconds, rounded up, so that waiting this long always reaches the next window.
        var resetSeconds = (long)Math.Ceiling((state.WindowEnd - now).TotalSeconds);

        var headers = context.Response.Headers;
        headers["ratelimit-policy"] = state.Bucket.Policy;
        headers["ratelimit-limit"] = state.Bucket.Limit.ToString(CultureInfo.InvariantCulture);
        headers["ratelimit-remaining"] = state.Remaining.ToString(CultureInfo.InvariantCulture);
        headers["ratelimit-reset"] = resetSeconds.ToString(CultureInfo.InvariantCulture);

        if (!state.IsExceeded)
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        headers["retry-after"] = resetSeconds.ToString(CultureInfo.InvariantCulture);
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        var body = state.Bucket.Rejection == RateLimitRejection.WithRetryAfter
            ? new ErrorBody("Too many requests, please try again later.") { RetryAfter = resetSeconds }
            : new ErrorBody("Too many requests from this IP, please try again later.");
        await context.Response.WriteAsJsonAsync(body, EmulatorJsonContext.Wire.ErrorBody).ConfigureAwait(false);
    }
}
