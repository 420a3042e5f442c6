using System.Diagnostics.Tracing;

namespace Mudbase.Benchmarks;

/// <summary>
/// The runtime's allocation samples (GC AllocationTick: one about every 100 KB allocated, naming the type of the object
/// that crossed the mark), counted by type: over many calls, a type's share of the samples is its share of the bytes.
/// No tool to install; enough to say which objects a call's extra bytes are.
/// </summary>
internal sealed class AllocationSampler : EventListener
{
    private const EventKeywords GcKeyword = (EventKeywords)0x1;
    private readonly Dictionary<string, long> _bytesByType = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private long _samples;
    private bool _on;

    public void Start()
    {
        lock (_gate)
        {
            _bytesByType.Clear();
            _samples = 0;
            _on = true;
        }
    }

    /// <summary>The sampled types by their share, largest first.</summary>
    public IReadOnlyList<(string Type, long Samples, double Share)> Stop()
    {
        lock (_gate)
        {
            _on = false;
            var total = Math.Max(1, _samples);
            return _bytesByType.OrderByDescending(p => p.Value).Select(p => (p.Key, p.Value, (double)p.Value / total)).ToList();
        }
    }

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            EnableEvents(eventSource, EventLevel.Verbose, GcKeyword);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (!eventData.EventName!.StartsWith("GCAllocationTick", StringComparison.Ordinal) || eventData.PayloadNames is null)
        {
            return;
        }

        var type = eventData.Payload![eventData.PayloadNames.IndexOf("TypeName")] as string ?? "?";
        lock (_gate)
        {
            if (_on)
            {
                _bytesByType[type] = _bytesByType.GetValueOrDefault(type) + 1;
                _samples++;
            }
        }
    }
}
