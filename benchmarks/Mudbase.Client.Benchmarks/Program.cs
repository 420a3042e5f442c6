// dotnet run -c Release --project benchmarks/Mudbase.Client.Benchmarks -- --filter '*'     the BenchmarkDotNet suite (1, 2, 3)
//                                                                       -- verify          the three contenders send the same request
//                                                                       -- interleaved     1 and 2 with the contenders alternating (see Interleaved.cs)
//                                                                       -- ablation        where the SDK's cost goes, option by option (see Ablation.cs)
//                                                                       -- profile OP IMPL SECONDS   one contender in a loop over the canned handler, for dotnet-trace (IMPL: baseline, refit, sdk-handler, sdk-httpclient, sdk-di)
//                                                                       -- data [...]      documents: a page of 100 and one, typed and untyped; query building (see DataBench.cs)
//                                                                       -- data-spin OP CONTENDER SECONDS   one of them in a loop, for a profiler (OP: list, get; CONTENDER: baseline, typed, untyped)
//                                                                       -- views [N]       bytes of one WithSession view and its first call (see ViewCost.cs)
//                                                                       -- scale [...]     concurrency levels on one client (see Scale.cs)
//                                                                       -- realtime PART   watches: throughput, open-loop, soak, latency, profile (see RealtimeBench.cs)
//                                                                       -- storage [...]   a 100 MiB file up and down, SDK against hand-written (see StorageBench.cs)
using BenchmarkDotNet.Running;
using Mudbase.Benchmarks;

return args switch
{
    ["verify", ..] => await Verify.RunAsync(),
    ["scale", .. var rest] => await Scale.RunAsync(rest),
    ["profile", var op, var impl, var seconds] => await Interleaved.SpinAsync(op, impl, double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture)),
    ["interleaved", .. var rest] => await Interleaved.RunAsync(rest),
    ["views", .. var rest] => await ViewCost.RunAsync(rest),
    ["data", .. var rest] => await DataBench.RunAsync(rest),
    ["data-spin", var op, var contender, var seconds] => await DataBench.SpinAsync(op, contender, double.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture)),
    ["ablation", .. var rest] => await Ablation.RunAsync(rest),
    ["realtime", .. var rest] => await RealtimeBench.RunAsync(rest),
    ["storage", .. var rest] => await StorageBench.RunAsync(rest),
    _ => RunBenchmarks(args),
};

static int RunBenchmarks(string[] args)
{
    var summaries = BenchmarkSwitcher.FromAssembly(typeof(BenchConfig).Assembly).Run(args);
    return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
}
