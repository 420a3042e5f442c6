namespace Mudbase.Emulator.Chaos;

/// <summary>
/// The chaos in force, the seeded random sequence its draws come from, and the counts of what it
/// did. One lock: concurrent requests take their draws one at a time from the one sequence a seed
/// fixes, and the counts always agree with the draws.
/// </summary>
internal sealed class ChaosState
{
    private static readonly ChaosFault[] Faults = [.. Enum.GetValues<ChaosFault>().Where(fault => fault != ChaosFault.None)];

    private readonly Lock _gate = new();
    private readonly int[] _faultCounts = new int[Faults.Length + 1];
    private readonly Dictionary<string, int> _answersLostByPath = new(StringComparer.Ordinal);
    private ChaosSettings? _settings;
    private Random? _random;
    private int _requests;

    public ChaosState(ChaosSettings? settings) => Configure(settings);

    /// <summary>
    /// The chaos in force, or <see langword="null"/>. Read without the lock, so that with chaos off a
    /// request pays for one read and nothing else.
    /// </summary>
    public ChaosSettings? Current => Volatile.Read(ref _settings);

    /// <summary>Puts new chaos in force (or none), with a fresh sequence from its seed. The counts carry on.</summary>
    public void Configure(ChaosSettings? settings)
    {
        lock (_gate)
        {
            // System.Random, not a secure source: the sequence must replay from its seed, and no secret depends on it.
            _random = settings is null ? null : new Random(settings.Seed);
            Volatile.Write(ref _settings, settings);
        }
    }

    /// <summary>Draws the fault of one request, and counts the request and the fault.</summary>
    /// <param name="settings">The chaos the request was admitted under (<see cref="Current"/> when it arrived).</param>
    /// <param name="path">The request's path, for <see cref="EmulatorChaosStatistics.AnswersLostByPath"/>.</param>
    /// <param name="isDownload">
    /// Whether the request downloads a file's bytes: only such a request can be cut in the middle of its body, and for
    /// the others the share of <see cref="ChaosFault.ResetDuringDownload"/> is no fault (one draw per request all the same,
    /// so that the sequence a seed gives does not depend on which requests are downloads).
    /// </param>
    public ChaosFault Draw(ChaosSettings settings, string path, bool isDownload)
    {
        lock (_gate)
        {
            // Chaos was replaced while the request was being admitted: it belongs to neither the old
            // sequence nor the new one, and drawing for it would shift the new one.
            if (!ReferenceEquals(settings, _settings))
            {
                return ChaosFault.None;
            }

            _requests++;
            var fault = settings.Pick(_random!.NextDouble());
            if (fault == ChaosFault.ResetDuringDownload && !isDownload)
            {
                fault = ChaosFault.None;
            }

            _faultCounts[(int)fault]++;
            if ((fault.IsAfterProcessing() && fault != ChaosFault.ExtraFields) || fault == ChaosFault.ResetDuringDownload)
            {
                // Processed, and its real answer never reaches the client: what a test needs to explain a side effect.
                _answersLostByPath[path] = _answersLostByPath.GetValueOrDefault(path) + 1;
            }

            return fault;
        }
    }

    public EmulatorChaosStatistics GetStatistics()
    {
        lock (_gate)
        {
            return new EmulatorChaosStatistics
            {
                // The enum's names are the option properties' names, the documented keys.
                FaultsByKind = Faults.ToDictionary(fault => fault.ToString(), fault => _faultCounts[(int)fault], StringComparer.Ordinal).AsReadOnly(),
                Requests = _requests,
                AnswersLostByPath = new Dictionary<string, int>(_answersLostByPath, StringComparer.Ordinal).AsReadOnly(),
            };
        }
    }
}
