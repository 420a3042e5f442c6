namespace Mudbase.Emulator.RateLimiting;

/// <summary>Where a client stands in one bucket after a request was counted.</summary>
internal readonly record struct BucketState(RateLimitBucket Bucket, int Count, DateTimeOffset WindowEnd)
{
    public int Remaining => Math.Max(0, Bucket.Limit - Count);

    public bool IsExceeded => Count > Bucket.Limit;
}

/// <summary>
/// Per-client request counts in fixed windows, each window starting with the client's first
/// request in it. Thread-safe.
/// </summary>
internal sealed class FixedWindowCounters
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Bucket, string Client), Window> _windows = [];

    /// <summary>
    /// Counts one request against each bucket in order and stops at the first one exceeded.
    /// </summary>
    /// <returns>The exceeded bucket's state, or else the tightest one (fewest requests remaining).</returns>
    public BucketState Hit(IReadOnlyList<RateLimitBucket> buckets, string client, DateTimeOffset now)
    {
        BucketState? tightest = null;
        // One lock for all buckets, so concurrent requests see consistent counts across them.
        lock (_gate)
        {
            foreach (var bucket in buckets)
            {
                var state = HitOne(bucket, client, now);
                if (state.IsExceeded)
                {
                    return state;
                }

                // On a tie the later, narrower bucket wins: its limit is the one a client can act on.
                if (tightest is null || state.Remaining <= tightest.Value.Remaining)
                {
                    tightest = state;
                }
            }
        }

        return tightest ?? throw new ArgumentException("No bucket to count against.", nameof(buckets));
    }

    private BucketState HitOne(RateLimitBucket bucket, string client, DateTimeOffset now)
    {
        var key = (bucket.Name, client);
        if (!_windows.TryGetValue(key, out var window) || now >= window.End)
        {
            // Expired windows are reused rather than removed: one entry per bucket and client.
            window = new Window(now + bucket.Window);
            _windows[key] = window;
        }

        window.Count++;
        return new BucketState(bucket, window.Count, window.End);
    }

    private sealed class Window(DateTimeOffset end)
    {
        public DateTimeOffset End { get; } = end;

        public int Count { get; set; }
    }
}
