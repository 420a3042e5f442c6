namespace Mudbase;

/// <summary>The server's rate-limit headers (<c>ratelimit-limit</c>, <c>-remaining</c>, <c>-reset</c>, <c>-policy</c>) on an answer.</summary>
public sealed class RateLimitInfo : IEquatable<RateLimitInfo>
{
    /// <summary>Creates the information, for tests and mocks.</summary>
    /// <param name="limit">Requests allowed in the window.</param>
    /// <param name="remaining">Requests left in the window.</param>
    /// <param name="reset">Time until the window resets.</param>
    /// <param name="policy">The policy, for example <c>5;w=900</c>.</param>
    public RateLimitInfo(int? limit, int? remaining, TimeSpan? reset, string? policy)
    {
        Limit = limit;
        Remaining = remaining;
        Reset = reset;
        Policy = policy;
    }

    /// <summary>Requests allowed in the window.</summary>
    public int? Limit { get; }

    /// <summary>Requests left in the window.</summary>
    public int? Remaining { get; }

    /// <summary>Time until the window resets.</summary>
    public TimeSpan? Reset { get; }

    /// <summary>The policy, for example <c>5;w=900</c> (5 requests per 900 seconds).</summary>
    public string? Policy { get; }

    /// <inheritdoc />
    public bool Equals(RateLimitInfo? other) =>
        other is not null && Limit == other.Limit && Remaining == other.Remaining && Reset == other.Reset && Policy == other.Policy;

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as RateLimitInfo);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Limit, Remaining, Reset, Policy);

    /// <inheritdoc />
    public override string ToString() => $"RateLimitInfo {{ Limit = {Limit}, Remaining = {Remaining}, Reset = {Reset}, Policy = {Policy} }}";
}
