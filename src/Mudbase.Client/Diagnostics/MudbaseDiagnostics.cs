using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Mudbase.Diagnostics;

/// <summary>
/// The SDK's tracing and metrics, both named <c>Mudbase.Client</c>: one activity per SDK operation
/// (<c>mudbase.auth.register</c>, …), and instruments for request duration, retries, refreshes and rate-limit hits.
/// Listen with OpenTelemetry: <c>.AddSource("Mudbase.Client")</c> and <c>.AddMeter("Mudbase.Client")</c>.
/// </summary>
public static class MudbaseDiagnostics
{
    /// <summary>The name of the <see cref="ActivitySource"/> and of the <see cref="Meter"/>.</summary>
    public const string Name = "Mudbase.Client";

    /// <summary>The package's version, without build metadata (a constant: no attribute is read at start-up).</summary>
    internal const string Version = Internal.MudbaseVersion.Value;

    internal static readonly ActivitySource ActivitySource = new(Name, Version);
    internal static readonly Meter Meter = new(Name, Version);

    /// <summary>
    /// Bucket boundaries for <c>mudbase.client.request.duration</c>, in seconds: those .NET advises for its own HTTP
    /// durations. A collector's defaults (0, 5, 10, … 10000) suit milliseconds and would put every call in one bucket.
    /// </summary>
    internal static readonly double[] DurationBuckets = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    internal static readonly Histogram<double> RequestDuration = Meter.CreateHistogram<double>(
        "mudbase.client.request.duration", unit: "s", description: "Duration of each HTTP attempt, until its answer's headers arrived."
#if NET9_0_OR_GREATER
        , tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBuckets }
#endif
        );

    internal static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "mudbase.client.retries", unit: "{retry}", description: "Requests sent again after a failed attempt.");

    internal static readonly Counter<long> Refreshes = Meter.CreateCounter<long>(
        "mudbase.client.session.refreshes", unit: "{refresh}", description: "Session refreshes, by outcome (refreshed, rejected, failed).");

    internal static readonly Counter<long> RateLimited = Meter.CreateCounter<long>(
        "mudbase.client.rate_limited", unit: "{response}", description: "Answers with status 429.");

    /// <summary>
    /// Records a failure on an operation's activity (see <see cref="Operation"/>). Used as an exception filter (<c>catch (Exception ex) when (Failed(activity, ex))</c>):
    /// it always returns false, so the exception goes on untouched.
    /// </summary>
    internal static bool Failed(Activity? activity, Exception exception)
    {
        if (activity is not null)
        {
            activity.SetStatus(ActivityStatusCode.Error, exception.GetType().Name);
            activity.SetTag("error.type", exception.GetType().FullName);
            if (exception is MudbaseException { StatusCode: { } status } mudbase)
            {
                activity.SetTag("http.response.status_code", (int)status);
                if (mudbase.ErrorCode is { } code)
                {
                    activity.SetTag("mudbase.error.code", code);
                }
            }
        }

        return false;
    }
}
