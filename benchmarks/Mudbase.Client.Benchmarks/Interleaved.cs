using System.Diagnostics;
using System.Globalization;
using Mudbase.Emulator;

namespace Mudbase.Benchmarks;

/// <summary>
/// A cross-check of benchmarks 1 and 2 that a busy, shared machine cannot skew: the three contenders run in short
/// alternating blocks (order rotating every round), and the ratio is taken within each round, so a slow spell hits
/// all three alike. Reports the median and the interquartile range of the per-round ratios, and allocated bytes per
/// call (GC.GetTotalAllocatedBytes(true) deltas; over loopback they include the in-process emulator's).
/// <code>interleaved [--transport canned|loopback] [--rounds 31] [--block-ms 50] [--ops anonymous,register,session] [--impls baseline,refit,sdk-handler,...]</code>
/// The contenders: baseline (always first: the ratios' denominator), refit, and the SDK built each public way
/// (<see cref="SdkPaths"/>). By default, over the canned handler every path it can be plugged into (sdk-handler,
/// sdk-httpclient, sdk-di); over loopback the SDK's own default (sdk).
/// </summary>
internal static class Interleaved
{
    private static long _users;

    public static async Task<int> RunAsync(string[] args)
    {
        var options = new Dictionary<string, string>();
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            options[args[i].TrimStart('-')] = args[i + 1];
        }

        var transport = options.GetValueOrDefault("transport") ?? "canned";
        var rounds = int.Parse(options.GetValueOrDefault("rounds") ?? "31", CultureInfo.InvariantCulture);
        var blockMs = double.Parse(options.GetValueOrDefault("block-ms") ?? "50", CultureInfo.InvariantCulture);
        var ops = (options.GetValueOrDefault("ops") ?? "anonymous,register,session").Split(',');
        var defaultImpls = transport == "canned" ? "baseline,refit,sdk-handler,sdk-httpclient,sdk-di" : "baseline,refit,sdk";
        var impls = (options.GetValueOrDefault("impls") ?? defaultImpls).Split(',');
        if (impls[0] != "baseline")
        {
            impls = ["baseline", .. impls.Where(i => i != "baseline")];
        }

        MudbaseEmulator? emulator = null;
        Contenders c;
        if (transport == "canned")
        {
            c = Contenders.CreateCanned(_ => new CannedHandler());
        }
        else
        {
            (emulator, c) = await LoopbackSetup.StartAsync();
        }

        Console.WriteLine($"transport {transport}, {rounds} rounds, blocks of about {blockMs} ms, {Environment.ProcessorCount} cores");
        Console.WriteLine();
        PrintHeader();
        foreach (var op in ops)
        {
            await MeasureAsync(op, impls.Select(impl => (Name(impl), Call(c, op, impl, transport == "canned"))).ToArray(), rounds, blockMs);
        }

        c.Dispose();
        if (emulator is not null)
        {
            await emulator.DisposeAsync();
        }

        return 0;
    }

    /// <summary>
    /// Runs the contenders in alternating blocks and prints one table row each; the first is the baseline of the ratios.
    /// </summary>
    public static async Task MeasureAsync(string op, IReadOnlyList<(string Name, Func<Task> Call)> contenders, int rounds, double blockMs)
    {
        var count = contenders.Count;

        // Warm-up (tiered JIT reaches its final code after some thousands of calls).
        var warm = Stopwatch.StartNew();
        while (warm.ElapsedMilliseconds < 3000)
        {
            foreach (var (_, call) in contenders)
            {
                await call();
            }
        }

        // Calls per block: about blockMs for the baseline.
        var probe = Stopwatch.StartNew();
        var probed = 0;
        while (probe.ElapsedMilliseconds < 200)
        {
            await contenders[0].Call();
            probed++;
        }

        var perBlock = Math.Max(5, (int)(probed * blockMs / probe.Elapsed.TotalMilliseconds));
        var time = new List<double>[count];
        var alloc = new List<double>[count];
        var ratios = new List<double>[count];
        for (var i = 0; i < count; i++)
        {
            (time[i], alloc[i], ratios[i]) = ([], [], []);
        }

        for (var round = 0; round < rounds; round++)
        {
            var roundTime = new double[count];
            for (var k = 0; k < count; k++)
            {
                var index = (k + round) % count;
                var call = contenders[index].Call;
                var before = GC.GetTotalAllocatedBytes(precise: true);
                var started = Stopwatch.GetTimestamp();
                for (var n = 0; n < perBlock; n++)
                {
                    await call();
                }

                var elapsed = Stopwatch.GetElapsedTime(started).TotalNanoseconds / perBlock;
                alloc[index].Add((double)(GC.GetTotalAllocatedBytes(precise: true) - before) / perBlock);
                time[index].Add(elapsed);
                roundTime[index] = elapsed;
            }

            for (var k = 0; k < count; k++)
            {
                ratios[k].Add(roundTime[k] / roundTime[0]);
            }
        }

        var baselineAlloc = Median(alloc[0]);
        for (var i = 0; i < count; i++)
        {
            var r = ratios[i].Order().ToArray();

            Console.WriteLine($"| {op} | {contenders[i].Name} | {Format(Median(time[i]))} | {Median(r):F3} | {MedianInterval(r)} | {r[r.Length / 4]:F3}-{r[r.Length * 3 / 4]:F3} | {Median(alloc[i]):F0} | {Median(alloc[i]) / baselineAlloc:F3} |");
        }
    }

    /// <summary>One contender in a loop over the canned handler, for a profiler (dotnet-trace collect -- ... profile session sdk-handler 10).</summary>
    public static async Task<int> SpinAsync(string op, string impl, double seconds)
    {
        using var c = Contenders.CreateCanned(_ => new CannedHandler());
        var call = Call(c, op, impl, fixedEmail: true);
        var watch = Stopwatch.StartNew();
        long calls = 0;
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            await call();
            calls++;
        }

        Console.WriteLine($"{op} {impl}: {calls} calls, {watch.Elapsed.TotalNanoseconds / calls / 1000:F2} us/call");
        return 0;
    }

    public static void PrintHeader()
    {
        Console.WriteLine("| call | contender | median time/call | ratio (median) | median's 95 % CI | ratio p25-p75 | alloc B/call | alloc ratio |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
    }

    private static string Name(string impl) => impl switch { "baseline" => "hand-written", "refit" => "plain Refit", _ => SdkPaths.Describe(impl) };

    private static string Format(double ns) => ns >= 1_000_000 ? $"{ns / 1_000_000:F2} ms" : $"{ns / 1000:F2} us";

    /// <summary>A distribution-free 95 % confidence interval of the median of <paramref name="sorted"/>: order statistics n/2 ± 0.98·√n.</summary>
    public static string MedianInterval(double[] sorted)
    {
        var spread = (int)Math.Ceiling(0.98 * Math.Sqrt(sorted.Length));
        return $"{sorted[Math.Max(0, (sorted.Length / 2) - spread)]:F3}-{sorted[Math.Min(sorted.Length - 1, (sorted.Length / 2) + spread)]:F3}";
    }

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }

    /// <summary>impl: baseline, refit, or an SDK path (<see cref="SdkPaths"/>); the SDK's client is looked up here, once.</summary>
    private static Func<Task> Call(Contenders c, string op, string impl, bool fixedEmail)
    {
        var sdk = impl is "baseline" or "refit" ? null : c.Sdk(impl);
        return (op, impl) switch
        {
            ("anonymous", "baseline") => c.BaselineAnonymousAsync,
            ("anonymous", "refit") => c.RefitAnonymousAsync,
            ("anonymous", _) => sdk!.AnonymousAsync,
            ("register", "baseline") => () => c.BaselineRegisterAsync(Email(fixedEmail)),
            ("register", "refit") => () => c.RefitRegisterAsync(Email(fixedEmail)),
            ("register", _) => () => sdk!.RegisterAsync(Email(fixedEmail)),
            ("session", "baseline") => c.BaselineSessionAsync,
            ("session", "refit") => c.RefitSessionAsync,
            ("session", _) => sdk!.SessionAsync,
            _ => throw new ArgumentException($"Unknown call {op} (anonymous, register, session)."),
        };
    }

    /// <summary>A new email per registration over loopback (the emulator refuses a second one); a fixed one in memory.</summary>
    private static string Email(bool fixedEmail) =>
        fixedEmail ? Payloads.Email : "i" + Interlocked.Increment(ref _users).ToString(CultureInfo.InvariantCulture) + "@northwind.dev";
}
