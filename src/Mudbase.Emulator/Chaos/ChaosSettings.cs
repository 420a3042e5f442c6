namespace Mudbase.Emulator.Chaos;

/// <summary>One fault's share of the draws.</summary>
internal readonly record struct ChaosOdds(ChaosFault Fault, double Probability);

/// <summary>
/// A validated copy of <see cref="EmulatorChaosOptions"/>: the options object is mutable and
/// belongs to the caller, so a running emulator never reads it again.
/// </summary>
/// <param name="Seed">The seed of the draws.</param>
/// <param name="Odds">Every fault with its probability, in the order a draw walks them.</param>
/// <param name="SlowResponseDelay">How long a slow answer is held.</param>
/// <param name="Applies">The caller's filter of requests, or <see langword="null"/> for every <c>/api</c> request.</param>
internal sealed record ChaosSettings(int Seed, IReadOnlyList<ChaosOdds> Odds, TimeSpan SlowResponseDelay, Func<HttpRequest, bool>? Applies)
{
    // Odds such as 13 shares of 1/13 add up to a hair over 1 in floating point.
    private const double SumTolerance = 1e-9;

    private static readonly TimeSpan LongestDelay = TimeSpan.FromDays(1);

    public static ChaosSettings From(EmulatorChaosOptions options)
    {
        // The order here is the order a draw walks them: changing it changes what a seed replays.
        ChaosOdds[] odds =
        [
            Checked(ChaosFault.ResetBeforeAnswer, options.ResetBeforeAnswer, nameof(options.ResetBeforeAnswer)),
            Checked(ChaosFault.ResetAfterProcessing, options.ResetAfterProcessing, nameof(options.ResetAfterProcessing)),
            Checked(ChaosFault.ServerErrorJson, options.ServerErrorJson, nameof(options.ServerErrorJson)),
            Checked(ChaosFault.BadGatewayHtml, options.BadGatewayHtml, nameof(options.BadGatewayHtml)),
            Checked(ChaosFault.GatewayTimeoutHtml, options.GatewayTimeoutHtml, nameof(options.GatewayTimeoutHtml)),
            Checked(ChaosFault.ServiceUnavailable, options.ServiceUnavailable, nameof(options.ServiceUnavailable)),
            Checked(ChaosFault.RateLimitedShort, options.RateLimitedShort, nameof(options.RateLimitedShort)),
            Checked(ChaosFault.RateLimitedLong, options.RateLimitedLong, nameof(options.RateLimitedLong)),
            Checked(ChaosFault.SlowResponse, options.SlowResponse, nameof(options.SlowResponse)),
            Checked(ChaosFault.TruncatedJson, options.TruncatedJson, nameof(options.TruncatedJson)),
            Checked(ChaosFault.EmptyBody, options.EmptyBody, nameof(options.EmptyBody)),
            Checked(ChaosFault.UnexpectedShape, options.UnexpectedShape, nameof(options.UnexpectedShape)),
            Checked(ChaosFault.ExtraFields, options.ExtraFields, nameof(options.ExtraFields)),
            // Last, so that adding it left what the seeds of the faults above replay unchanged.
            Checked(ChaosFault.ResetDuringDownload, options.ResetDuringDownload, nameof(options.ResetDuringDownload)),
        ];
        var sum = odds.Sum(entry => entry.Probability);
        if (sum > 1 + SumTolerance)
        {
#pragma warning disable CA2208 // Named after the option the caller set, as the other checks here are, not this method's parameter.
            throw new ArgumentOutOfRangeException(
                nameof(MudbaseEmulatorOptions.Chaos), sum, "The fault probabilities add up to more than 1: a request gets at most one fault.");
#pragma warning restore CA2208
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(options.SlowResponseDelay, TimeSpan.Zero, nameof(options.SlowResponseDelay));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(options.SlowResponseDelay, LongestDelay, nameof(options.SlowResponseDelay));
        return new ChaosSettings(options.Seed, odds, options.SlowResponseDelay, options.Applies);
    }

    /// <summary>The fault a draw lands on: each fault owns a slice of [0, 1) as wide as its probability, and the rest is no fault.</summary>
    /// <param name="roll">A number from 0 (included) to 1 (excluded).</param>
    public ChaosFault Pick(double roll)
    {
        var upTo = 0.0;
        foreach (var entry in Odds)
        {
            upTo += entry.Probability;
            if (roll < upTo)
            {
                return entry.Fault;
            }
        }

        return ChaosFault.None;
    }

    private static ChaosOdds Checked(ChaosFault fault, double probability, string name)
    {
        // Written as the valid range, so that NaN, which fails every comparison, is refused too.
        if (!(probability is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(name, probability, "A probability must be from 0 to 1.");
        }

        return new ChaosOdds(fault, probability);
    }
}
