namespace Mudbase;

/// <summary>The server's rate-limit headers (<c>ratelimit-limit</c>, <c>-remaining</c>, <c>-reset</c>, <c>-policy</c>) on an answer.</summary>
/// <param name="Limit">Requests allowed in the window.</param>
/// <param name="Remaining">Requests left in the window.</param>
/// <param name="Reset">Time until the window resets.</param>
/// <param name="Policy">The policy, for example <c>5;w=900</c> (5 requests per 900 seconds).</param>
public sealed record RateLimitInfo(int? Limit, int? Remaining, TimeSpan? Reset, string? Policy);
