namespace Mudbase.Emulator.Chaos;

/// <summary>
/// The faults chaos mode injects. Each is named as the <see cref="EmulatorChaosOptions"/> property
/// that sets its odds, and that name is its key in <see cref="EmulatorChaosStatistics.FaultsByKind"/>.
/// </summary>
internal enum ChaosFault
{
    /// <summary>No fault: the request goes through untouched.</summary>
    None,
    ResetBeforeAnswer,
    ResetAfterProcessing,
    ServerErrorJson,
    BadGatewayHtml,
    GatewayTimeoutHtml,
    ServiceUnavailable,
    RateLimitedShort,
    RateLimitedLong,
    SlowResponse,
    TruncatedJson,
    EmptyBody,
    UnexpectedShape,
    ExtraFields,
    ResetDuringDownload,
}

internal static class ChaosFaultExtensions
{
    /// <summary>
    /// Whether the endpoint runs before the fault, so that its effects on state are real; the
    /// others answer (or reset) in its place, and nothing is processed.
    /// </summary>
    public static bool IsAfterProcessing(this ChaosFault fault) =>
        fault is ChaosFault.ResetAfterProcessing
            or ChaosFault.GatewayTimeoutHtml
            or ChaosFault.SlowResponse
            or ChaosFault.TruncatedJson
            or ChaosFault.EmptyBody
            or ChaosFault.UnexpectedShape
            or ChaosFault.ExtraFields;
}
