namespace Mudbase.Emulator.RateLimiting;

/// <summary>Which 429 body a bucket answers with; the hosted service has both.</summary>
internal enum RateLimitRejection
{
    /// <summary><c>{"error":"Too many requests from this IP, please try again later."}</c></summary>
    FromThisIp,

    /// <summary><c>{"error":"Too many requests, please try again later.","retryAfter":seconds}</c></summary>
    WithRetryAfter,
}

/// <summary>
/// A per-IP limit: at most <see cref="Limit"/> matching requests per fixed <see cref="Window"/>.
/// Buckets with the same <see cref="Name"/> share one counter.
/// </summary>
internal sealed record RateLimitBucket(
    string Name,
    int Limit,
    TimeSpan Window,
    Func<HttpRequest, bool> AppliesTo,
    RateLimitRejection Rejection = RateLimitRejection.FromThisIp)
{
    /// <summary>The <c>ratelimit-policy</c> header value, such as <c>5;w=900</c>.</summary>
    public string Policy { get; } = FormattableString.Invariant($"{Limit};w={(long)Window.TotalSeconds}");
}
