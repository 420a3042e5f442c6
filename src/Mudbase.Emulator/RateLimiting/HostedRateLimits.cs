namespace Mudbase.Emulator.RateLimiting;

/// <summary>
/// The hosted service's per-IP defaults. Order matters: the broadest bucket first, as the live
/// server's limiters run, so a request refused by a broad bucket never counts against a narrow one.
/// </summary>
internal static class HostedRateLimits
{
    private static readonly TimeSpan FifteenMinutes = TimeSpan.FromMinutes(15);

    public static IReadOnlyList<RateLimitBucket> Buckets { get; } =
    [
        new("api", 2000, FifteenMinutes, request => request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)),
        new("auth", 20, FifteenMinutes, request => request.Path.StartsWithSegments("/api/auth", StringComparison.OrdinalIgnoreCase)),
        // One bucket for both: guests and sign-ins are throttled together.
        new("login-anonymous", 5, FifteenMinutes, request => IsPost(request, "/api/auth/local/login") || IsPost(request, "/api/auth/anonymous")),
        new("register", 3, TimeSpan.FromHours(1), IsRegistration, RateLimitRejection.WithRetryAfter),
        new("refresh", 60, FifteenMinutes, request => IsPost(request, "/api/auth/refresh")),
        // A function's start counts as a data write too (EVIDENCE.md, rate limits).
        new("data-writes", 600, TimeSpan.FromMinutes(1), request => Data.DocumentEndpoints.IsWrite(request) || Functions.FunctionEndpoints.IsExecute(request)),
        new("uploads", 500, TimeSpan.FromHours(1), Storage.StorageEndpoints.IsUpload),
        new("users-resend-verification", 3, FifteenMinutes, request => IsPost(request, "/api/users/resend-verification")),
        new("otp-confirm", 3, TimeSpan.FromMinutes(5), request => IsPost(request, "/api/auth/local/password-reset/confirm"), RateLimitRejection.WithRetryAfter),
    ];

    // Registering with a role is registering too.
    private static bool IsRegistration(HttpRequest request) =>
        IsPost(request, "/api/auth/local/register")
        || HttpMethods.IsPost(request.Method) && request.Path.StartsWithSegments("/api/auth/local/signup", StringComparison.OrdinalIgnoreCase);

    // Routing ignores case and a trailing slash, so the limits must too.
    private static bool IsPost(HttpRequest request, string path) =>
        HttpMethods.IsPost(request.Method)
        && string.Equals(request.Path.Value?.TrimEnd('/'), path, StringComparison.OrdinalIgnoreCase);
}
