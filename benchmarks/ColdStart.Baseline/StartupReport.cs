using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Tracing;
using System.Globalization;
using System.Runtime;

namespace ColdStart;

/// <summary>
/// With COLDSTART_REPORT=1: what start-up cost, as the runtime counts it (shared by both programs). With
/// COLDSTART_JITLOG=1 also every method the JIT compiled, grouped by namespace, with the JIT time spent on each group
/// (an EventListener on the runtime's JIT events, started first thing; it slows the run it observes).
/// </summary>
internal static class StartupReport
{
    private static JitListener? _listener;

    public static void StartIfAsked()
    {
        if (Environment.GetEnvironmentVariable("COLDSTART_WHYLOAD") is { Length: > 0 } watched)
        {
            // COLDSTART_WHYLOAD=Polly.Core: the stack that loaded that assembly.
            AppDomain.CurrentDomain.AssemblyLoad += (_, e) =>
            {
                if (e.LoadedAssembly.GetName().Name == watched)
                {
                    Console.WriteLine($"  {watched} loaded by:{Environment.NewLine}{Environment.StackTrace}");
                }
            };
        }

        if (Environment.GetEnvironmentVariable("COLDSTART_JITLOG") == "1")
        {
            _listener = new JitListener();
        }
    }

    public static void PrintIfAsked(string name, string userId)
    {
        if (Environment.GetEnvironmentVariable("COLDSTART_REPORT") != "1" && _listener is null)
        {
            return;
        }

        var sinceStart = DateTime.Now - Process.GetCurrentProcess().StartTime;
        var assemblies = AppDomain.CurrentDomain.GetAssemblies();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name}: user {userId}; {sinceStart.TotalMilliseconds:F0} ms since process start; {JitInfo.GetCompiledMethodCount()} methods jitted in {JitInfo.GetCompilationTime().TotalMilliseconds:F0} ms; {assemblies.Length} assemblies loaded"));
        if (Environment.GetEnvironmentVariable("COLDSTART_ASSEMBLIES") == "1")
        {
            Console.WriteLine("  assemblies: " + string.Join(", ", assemblies.Select(a => a.GetName().Name).Order(StringComparer.Ordinal)));
        }

        _listener?.Print();
    }

    private sealed class JitListener : EventListener
    {
        private readonly ConcurrentDictionary<string, (int Count, double Ms)> _groups = new();
        private readonly ConcurrentDictionary<long, (string Group, DateTime Started)> _inFlight = new();

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
            {
                EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x10); // JIT
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs e)
        {
            if (e.EventName == "MethodJittingStarted_V1" && e.Payload is { } p)
            {
                var ns = p[e.PayloadNames!.IndexOf("MethodNamespace")] as string ?? "?";
                if (Environment.GetEnvironmentVariable("COLDSTART_JITNAMES") is { Length: > 0 } prefix && ns.StartsWith(prefix, StringComparison.Ordinal))
                {
                    // COLDSTART_JITNAMES=Mudbase.Http: each method of that namespace, as it is compiled.
                    Console.WriteLine($"    jit {ns}::{p[e.PayloadNames!.IndexOf("MethodName")]}");
                }

                _inFlight[e.OSThreadId] = (Group(ns), e.TimeStamp);
            }
            else if (e.EventName?.StartsWith("MethodLoadVerbose", StringComparison.Ordinal) == true && _inFlight.TryRemove(e.OSThreadId, out var started))
            {
                var ms = (e.TimeStamp - started.Started).TotalMilliseconds;
                _groups.AddOrUpdate(started.Group, (1, ms), (_, v) => (v.Count + 1, v.Ms + ms));
            }
        }

        /// <summary>The namespace down to two segments (Polly.Retry, System.Net.Http, Refit, Mudbase.Http...).</summary>
        private static string Group(string typeName)
        {
            var generic = typeName.IndexOfAny(['`', '[', '<', '+']);
            var plain = generic < 0 ? typeName : typeName[..generic];
            var parts = plain.Split('.');
            return parts.Length <= 2 ? string.Join('.', parts[..^1].DefaultIfEmpty(plain)) : parts[0] + "." + parts[1];
        }

        public void Print()
        {
            Console.WriteLine("  JIT by namespace (methods, ms):");
            foreach (var (group, (count, ms)) in _groups.ToArray().OrderByDescending(g => g.Value.Ms).Take(25))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {count,5} {ms,8:F1}  {group}"));
            }
        }
    }
}
