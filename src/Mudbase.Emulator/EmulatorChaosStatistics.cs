using System.Collections.ObjectModel;

namespace Mudbase.Emulator;

/// <summary>
/// What chaos mode has done since the emulator started (see <see cref="EmulatorChaosOptions"/>),
/// across every <see cref="MudbaseEmulator.SetChaos"/>. A snapshot: later requests do not change
/// an instance already returned.
/// </summary>
public sealed record EmulatorChaosStatistics
{
    /// <summary>
    /// Faults injected, by kind. The keys are the names of the <see cref="EmulatorChaosOptions"/>
    /// properties that set their odds, every kind present (0 when it never happened): write
    /// <c>FaultsByKind[nameof(EmulatorChaosOptions.ResetAfterProcessing)]</c>.
    /// </summary>
    public IReadOnlyDictionary<string, int> FaultsByKind { get; init; } = ReadOnlyDictionary<string, int>.Empty;

    /// <summary>
    /// Requests chaos drew for while it was on: every <c>/api</c> request, or those
    /// <see cref="EmulatorChaosOptions.Applies"/> admitted. Those that got no fault count too.
    /// </summary>
    public int Requests { get; init; }

    /// <summary>
    /// Requests the endpoint processed but whose real answer the client never got (a reset, a 504 page, a slow,
    /// truncated, empty or wrongly shaped answer), by path, such as <c>/api/auth/refresh</c>. A client that lost the
    /// answer of a refresh will present that refresh token again: this explains such reuses.
    /// </summary>
    public IReadOnlyDictionary<string, int> AnswersLostByPath { get; init; } = ReadOnlyDictionary<string, int>.Empty;
}
