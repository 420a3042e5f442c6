namespace Mudbase;

/// <summary>
/// Retry settings. Reads (GET, HEAD, PUT, DELETE) are re-sent on 408, 429, 5xx gateway errors,
/// connection failures and timeouts; writes (POST, PATCH) only when the server cannot have processed them.
/// </summary>
public sealed class MudbaseRetryOptions
{
    /// <summary>How many times a request may be re-sent after its first attempt (default 3; 0 turns retries off).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first backoff delay, doubled on each retry with jitter (default 0.5 seconds).</summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(0.5);

    /// <summary>The longest backoff delay (default 10 seconds).</summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The longest <c>Retry-After</c> the client waits out inside a call (default 10 seconds). A longer one
    /// fails the call at once with <see cref="MudbaseRateLimitException"/> and its <see cref="MudbaseException.RetryAfter"/> set.
    /// </summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public override string ToString() =>
        $"MudbaseRetryOptions {{ MaxRetries = {MaxRetries}, BaseDelay = {BaseDelay}, MaxDelay = {MaxDelay}, MaxRetryAfter = {MaxRetryAfter} }}";

    internal MudbaseRetryOptions Clone() => (MudbaseRetryOptions)MemberwiseClone();
}
