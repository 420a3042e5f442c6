using System.Globalization;
using BenchmarkDotNet.Attributes;
using Mudbase.Auth;
using Mudbase.Emulator;

namespace Mudbase.Benchmarks;

/// <summary>
/// Benchmark 2: one caller over loopback against the emulator, started in this process. Allocated bytes here
/// include the emulator's own (same process): read the time ratio. The SDK is <c>new MudbaseClient(options)</c>, its own
/// socket handler (the interleaved runner measures the other public paths over loopback too: --impls).
/// </summary>
[Config(typeof(BenchConfig))]
public class LoopbackBenchmarks
{
    private MudbaseEmulator _emulator = null!;
    private Contenders _c = null!;
    private SdkContender _sdk = null!;
    private long _users;

    [GlobalSetup]
    public void Setup()
    {
        (_emulator, _c) = LoopbackSetup.StartAsync().GetAwaiter().GetResult();
        _sdk = _c.Sdk(SdkPaths.Default);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _c.Dispose();
        _emulator.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Every registration needs a new email; the string costs the same for every contender.</summary>
    private string NextEmail() => "u" + Interlocked.Increment(ref _users).ToString(CultureInfo.InvariantCulture) + "@northwind.dev";

    [Benchmark(Baseline = true), BenchmarkCategory("CreateAnonymous")]
    public Task<WireSession> Anonymous_HandWritten() => _c.BaselineAnonymousAsync();

    [Benchmark, BenchmarkCategory("CreateAnonymous")]
    public Task<WireSession> Anonymous_PlainRefit() => _c.RefitAnonymousAsync();

    [Benchmark, BenchmarkCategory("CreateAnonymous")]
    public Task<AuthSession> Anonymous_Sdk() => _sdk.AnonymousAsync();

    [Benchmark(Baseline = true), BenchmarkCategory("Register")]
    public Task<WireRegisterResponse> Register_HandWritten() => _c.BaselineRegisterAsync(NextEmail());

    [Benchmark, BenchmarkCategory("Register")]
    public Task<WireRegisterResponse> Register_PlainRefit() => _c.RefitRegisterAsync(NextEmail());

    [Benchmark, BenchmarkCategory("Register")]
    public Task<RegisterResult> Register_Sdk() => _sdk.RegisterAsync(NextEmail());

    [Benchmark(Baseline = true), BenchmarkCategory("GetSession")]
    public Task<WireSessionInfo> Session_HandWritten() => _c.BaselineSessionAsync();

    [Benchmark, BenchmarkCategory("GetSession")]
    public Task<WireSessionInfo> Session_PlainRefit() => _c.RefitSessionAsync();

    [Benchmark, BenchmarkCategory("GetSession")]
    public Task<SessionInfo> Session_Sdk() => _sdk.SessionAsync();
}

/// <summary>
/// Benchmark 3: 64 concurrent callers over loopback, each making <see cref="CallsPerCaller"/> calls in a row.
/// BenchmarkDotNet reports the time per call (and Op/s); throughput ratio = 1 / time ratio.
/// </summary>
[Config(typeof(BenchConfig))]
public class ConcurrentBenchmarks
{
    public const int Callers = 64;
    public const int CallsPerCaller = 16;
    private const int Calls = Callers * CallsPerCaller;

    private MudbaseEmulator _emulator = null!;
    private Contenders _c = null!;
    private SdkContender _sdk = null!;

    [GlobalSetup]
    public void Setup()
    {
        (_emulator, _c) = LoopbackSetup.StartAsync().GetAwaiter().GetResult();
        _sdk = _c.Sdk(SdkPaths.Default);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _c.Dispose();
        _emulator.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private Task RunAsync(Func<Contenders, SdkContender, Task> call)
    {
        var callers = new Task[Callers];
        for (var i = 0; i < callers.Length; i++)
        {
            callers[i] = Task.Run(async () =>
            {
                for (var j = 0; j < CallsPerCaller; j++)
                {
                    await call(_c, _sdk).ConfigureAwait(false);
                }
            });
        }

        return Task.WhenAll(callers);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls), BenchmarkCategory("GetSession x64")]
    public Task Session64_HandWritten() => RunAsync(static (c, _) => c.BaselineSessionAsync());

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("GetSession x64")]
    public Task Session64_PlainRefit() => RunAsync(static (c, _) => c.RefitSessionAsync());

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("GetSession x64")]
    public Task Session64_Sdk() => RunAsync(static (_, sdk) => sdk.SessionAsync());

    [Benchmark(Baseline = true, OperationsPerInvoke = Calls), BenchmarkCategory("CreateAnonymous x64")]
    public Task Anonymous64_HandWritten() => RunAsync(static (c, _) => c.BaselineAnonymousAsync());

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("CreateAnonymous x64")]
    public Task Anonymous64_PlainRefit() => RunAsync(static (c, _) => c.RefitAnonymousAsync());

    [Benchmark(OperationsPerInvoke = Calls), BenchmarkCategory("CreateAnonymous x64")]
    public Task Anonymous64_Sdk() => RunAsync(static (_, sdk) => sdk.AnonymousAsync());
}

internal static class LoopbackSetup
{
    /// <summary>An emulator in this process (no rate limits), a guest of the no-verification project, and the three contenders.</summary>
    public static async Task<(MudbaseEmulator Emulator, Contenders Contenders)> StartAsync()
    {
        var emulator = await MudbaseEmulator.StartAsync(new MudbaseEmulatorOptions { EnableRateLimits = false });
        var token = await GetTokenAsync(emulator.BaseUrl);
        return (emulator, Contenders.CreateLoopback(emulator.BaseUrl, token));
    }

    /// <summary>A real access token of the no-verification project, for the authenticated call.</summary>
    public static async Task<string> GetTokenAsync(Uri baseUrl)
    {
        using var http = HandWritten.CreateHttpClient(new SocketsHttpHandler(), baseUrl);
        return (await HandWritten.CreateAnonymousAsync(http, Payloads.ProjectId)).Token;
    }
}
