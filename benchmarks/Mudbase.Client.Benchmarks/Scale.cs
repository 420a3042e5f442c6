using System.Diagnostics;
using System.Globalization;
using Mudbase.Emulator;

namespace Mudbase.Benchmarks;

/// <summary>
/// Concurrency levels on one client over loopback: throughput, p50/p99 latency, errors and allocated bytes per call
/// (GC.GetTotalAllocatedBytes(true) deltas, so every thread counts) and the client process's CPU time per call
/// (Environment.CpuUsage: steadier than throughput on a shared machine, where throughput follows whatever else runs). Against an emulator in another process
/// (--url, or MUDBASE_BASE_URL), so that the bytes counted are the client's only.
/// <code>
/// scale [--url http://127.0.0.1:18899/] [--ops session,anonymous] [--impls sdk,baseline,refit] [--levels 1,16,64,256]
///       [--seconds 5] [--warmup 2] [--rounds 1]
/// </code>
/// With --rounds N each level is measured N times, the contenders' order rotating, and the median is reported.
/// </summary>
internal static class Scale
{
    private const int LatencySlots = 4_000_000;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = ParseArgs(args);
        var url = options.GetValueOrDefault("url") ?? Environment.GetEnvironmentVariable("MUDBASE_BASE_URL");
        var ops = (options.GetValueOrDefault("ops") ?? "session,anonymous").Split(',');
        var impls = (options.GetValueOrDefault("impls") ?? "sdk").Split(',');
        var levels = (options.GetValueOrDefault("levels") ?? "1,16,64,256").Split(',').Select(int.Parse).ToArray();
        var seconds = double.Parse(options.GetValueOrDefault("seconds") ?? "5", CultureInfo.InvariantCulture);
        var warmup = double.Parse(options.GetValueOrDefault("warmup") ?? "2", CultureInfo.InvariantCulture);
        var rounds = int.Parse(options.GetValueOrDefault("rounds") ?? "1", CultureInfo.InvariantCulture);

        MudbaseEmulator? inProcess = null;
        if (url is null)
        {
            Console.WriteLine("No --url: the emulator runs in this process, so allocated bytes include the server's.");
            inProcess = await MudbaseEmulator.StartAsync(new MudbaseEmulatorOptions { EnableRateLimits = false });
            url = inProcess.BaseUrl.ToString();
        }

        var baseUrl = new Uri(url);
        var token = await LoopbackSetup.GetTokenAsync(baseUrl);
        using var c = Contenders.CreateLoopback(baseUrl, token);
        var latencies = new long[LatencySlots];
        var failed = false;

        Console.WriteLine($"server {baseUrl}, {Environment.ProcessorCount} cores, {seconds} s per level after {warmup} s warm-up, {rounds} round(s), GC {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}");
        Console.WriteLine();
        Console.WriteLine("| call | contender | callers | calls | errors | calls/s | p50 ms | p99 ms | alloc B/call | client CPU us/call |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        var summary = new List<(string Op, int Level, string Impl, double Rate, double AllocPerCall, double Cpu)>();
        foreach (var op in ops)
        {
            foreach (var level in levels)
            {
                var results = impls.ToDictionary(i => i, _ => new List<Result>());
                for (var round = 0; round < rounds; round++)
                {
                    for (var k = 0; k < impls.Length; k++)
                    {
                        var impl = impls[(k + round) % impls.Length];
                        var call = Call(c, op, impl);
                        await MeasureAsync(call, level, TimeSpan.FromSeconds(warmup), latencies: null); // connections and JIT
                        var r = await MeasureAsync(call, level, TimeSpan.FromSeconds(seconds), latencies);
                        results[impl].Add(r);
                        failed |= r.Errors > 0;
                        Console.WriteLine($"| {op} | {impl} | {level} | {r.Calls} | {r.Errors} | {r.Rate:F0} | {r.P50:F3} | {r.P99:F3} | {r.AllocPerCall:F0} | {r.CpuPerCall:F1} |"
                            + (rounds > 1 ? $" round {round + 1}" : "") + (r.FirstError is null ? "" : $" first error: {r.FirstError}"));
                    }
                }

                foreach (var impl in impls)
                {
                    var median = results[impl].OrderBy(r => r.Rate).ElementAt(results[impl].Count / 2);
                    var cpu = results[impl].Select(r => r.CpuPerCall).Order().ElementAt(results[impl].Count / 2);
                    summary.Add((op, level, impl, median.Rate, results[impl].Average(r => r.AllocPerCall), cpu));
                }
            }
        }

        if (impls.Contains("baseline") && impls.Length > 1)
        {
            Console.WriteLine();
            Console.WriteLine("| call | callers | contender | calls/s (median) | throughput / baseline | alloc B/call | alloc / baseline | client CPU us/call (median) | CPU / baseline |");
            Console.WriteLine("|---|---:|---|---:|---:|---:|---:|---:|---:|");
            foreach (var group in summary.GroupBy(s => (s.Op, s.Level)))
            {
                var baseline = group.Single(s => s.Impl == "baseline");
                foreach (var s in group)
                {
                    Console.WriteLine($"| {s.Op} | {s.Level} | {s.Impl} | {s.Rate:F0} | {s.Rate / baseline.Rate:F3} | {s.AllocPerCall:F0} | {s.AllocPerCall / baseline.AllocPerCall:F3} | {s.Cpu:F1} | {s.Cpu / baseline.Cpu:F3} |");
                }
            }
        }

        if (inProcess is not null)
        {
            await inProcess.DisposeAsync();
        }

        return failed ? 1 : 0;
    }

    /// <summary>impl: baseline, refit, or an SDK path (sdk, sdk-handler, sdk-httpclient, sdk-di: see SdkPaths).</summary>
    private static Func<Task> Call(Contenders c, string op, string impl) => (op, impl) switch
    {
        ("session", "baseline") => c.BaselineSessionAsync,
        ("session", "refit") => c.RefitSessionAsync,
        ("session", _) => c.Sdk(impl).SessionAsync,
        ("anonymous", "baseline") => c.BaselineAnonymousAsync,
        ("anonymous", "refit") => c.RefitAnonymousAsync,
        ("anonymous", _) => c.Sdk(impl).AnonymousAsync,
        _ => throw new ArgumentException($"Unknown call {op} (ops: session, anonymous; impls: baseline, refit, {string.Join(", ", SdkPaths.All)})."),
    };

    private sealed record Result(long Calls, long Errors, double Rate, double P50, double P99, double AllocPerCall, double CpuPerCall, string? FirstError);

    private static async Task<Result> MeasureAsync(Func<Task> call, int callers, TimeSpan duration, long[]? latencies)
    {
        long calls = 0, errors = 0, recorded = 0;
        string? firstError = null;
        var stop = 0;
        if (latencies is not null)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
        }

        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var started = Stopwatch.GetTimestamp();
        var tasks = new Task[callers];
        for (var i = 0; i < callers; i++)
        {
            tasks[i] = Task.Run(async () =>
            {
                while (Volatile.Read(ref stop) == 0)
                {
                    var t0 = Stopwatch.GetTimestamp();
                    try
                    {
                        await call().ConfigureAwait(false);
                    }
                    catch (Exception ex)
                    {
                        Interlocked.Increment(ref errors);
                        Interlocked.CompareExchange(ref firstError, ex.GetType().Name + ": " + ex.Message, null);
                        continue;
                    }

                    var elapsed = Stopwatch.GetTimestamp() - t0;
                    Interlocked.Increment(ref calls);
                    if (latencies is not null)
                    {
                        var slot = Interlocked.Increment(ref recorded) - 1;
                        if (slot < latencies.Length)
                        {
                            latencies[slot] = elapsed;
                        }
                    }
                }
            });
        }

        await Task.Delay(duration).ConfigureAwait(false);
        Volatile.Write(ref stop, 1);
        await Task.WhenAll(tasks).ConfigureAwait(false);
        var wall = Stopwatch.GetElapsedTime(started);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;

        double p50 = 0, p99 = 0;
        if (latencies is not null && recorded > 0)
        {
            var n = (int)Math.Min(recorded, latencies.Length);
            Array.Sort(latencies, 0, n);
            p50 = ToMs(latencies[(int)(n * 0.50)]);
            p99 = ToMs(latencies[Math.Min(n - 1, (int)(n * 0.99))]);
        }

        return new Result(calls, errors, calls / wall.TotalSeconds, p50, p99, calls == 0 ? 0 : (double)allocated / calls, calls == 0 ? 0 : cpu.TotalMicroseconds / calls, firstError);
    }

    private static double ToMs(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    private static Dictionary<string, string> ParseArgs(string[] args)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"Expected --name value, got {args[i]}");
            }

            options[args[i][2..]] = args[i + 1];
        }

        return options;
    }
}
