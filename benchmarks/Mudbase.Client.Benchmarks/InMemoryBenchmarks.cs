using BenchmarkDotNet.Attributes;
using Mudbase.Auth;

namespace Mudbase.Benchmarks;

/// <summary>
/// Benchmark 1: the SDK's own overhead. Every contender sends through one HttpClient to <see cref="CannedHandler"/>,
/// which reads the request body and answers a fresh canned response; the SDK's real pipeline (auth handler, Polly
/// retry handler) runs above it.
/// </summary>
[Config(typeof(BenchConfig))]
public class InMemoryBenchmarks
{
    private Contenders _c = null!;

    [GlobalSetup]
    public void Setup() => _c = Contenders.CreateCanned(() => new CannedHandler());

    [GlobalCleanup]
    public void Cleanup() => _c.Dispose();

    [Benchmark(Baseline = true), BenchmarkCategory("CreateAnonymous")]
    public Task<WireSession> Anonymous_HandWritten() => _c.BaselineAnonymousAsync();

    [Benchmark, BenchmarkCategory("CreateAnonymous")]
    public Task<WireSession> Anonymous_PlainRefit() => _c.RefitAnonymousAsync();

    [Benchmark, BenchmarkCategory("CreateAnonymous")]
    public Task<AuthSession> Anonymous_Sdk() => _c.SdkAnonymousAsync();

    [Benchmark(Baseline = true), BenchmarkCategory("Register")]
    public Task<WireRegisterResponse> Register_HandWritten() => _c.BaselineRegisterAsync(Payloads.Email);

    [Benchmark, BenchmarkCategory("Register")]
    public Task<WireRegisterResponse> Register_PlainRefit() => _c.RefitRegisterAsync(Payloads.Email);

    [Benchmark, BenchmarkCategory("Register")]
    public Task<RegisterResult> Register_Sdk() => _c.SdkRegisterAsync(Payloads.Email);

    [Benchmark(Baseline = true), BenchmarkCategory("GetSession")]
    public Task<WireSessionInfo> Session_HandWritten() => _c.BaselineSessionAsync();

    [Benchmark, BenchmarkCategory("GetSession")]
    public Task<WireSessionInfo> Session_PlainRefit() => _c.RefitSessionAsync();

    [Benchmark, BenchmarkCategory("GetSession")]
    public Task<SessionInfo> Session_Sdk() => _c.SdkSessionAsync();
}
