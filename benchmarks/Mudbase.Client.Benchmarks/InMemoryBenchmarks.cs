using BenchmarkDotNet.Attributes;
using Mudbase.Auth;

namespace Mudbase.Benchmarks;

/// <summary>
/// Benchmark 1: the SDK's own overhead. Every contender sends through one HttpClient to <see cref="CannedHandler"/>,
/// which reads the request body and answers a fresh canned response; the SDK's real pipeline (auth handler, retry
/// handler, telemetry handler) runs above it. The SDK is built each public way a handler can be plugged into
/// (<see cref="SdkPaths"/>): <c>(options, handler)</c>, <c>(options, httpClient)</c>, and <c>AddMudbaseClient</c> with the
/// canned handler as the primary handler.
/// </summary>
[Config(typeof(BenchConfig))]
public class InMemoryBenchmarks
{
    private Contenders _c = null!;
    private SdkContender _handler = null!;
    private SdkContender _httpClient = null!;
    private SdkContender _factory = null!;

    [GlobalSetup]
    public void Setup()
    {
        _c = Contenders.CreateCanned(_ => new CannedHandler());
        (_handler, _httpClient, _factory) = (_c.Sdk(SdkPaths.Handler), _c.Sdk(SdkPaths.HttpClient), _c.Sdk(SdkPaths.Factory));
    }

    [GlobalCleanup]
    public void Cleanup() => _c.Dispose();

    [Benchmark(Baseline = true), BenchmarkCategory("CreateAnonymous")]
    public Task<WireSession> Anonymous_HandWritten() => _c.BaselineAnonymousAsync();

    [Benchmark, BenchmarkCategory("CreateAnonymous")]
    public Task<WireSession> Anonymous_PlainRefit() => _c.RefitAnonymousAsync();

    [Benchmark, BenchmarkCategory("CreateAnonymous")]
    public Task<AuthSession> Anonymous_Sdk_Handler() => _handler.AnonymousAsync();

    [Benchmark, BenchmarkCategory("CreateAnonymous")]
    public Task<AuthSession> Anonymous_Sdk_HttpClient() => _httpClient.AnonymousAsync();

    [Benchmark, BenchmarkCategory("CreateAnonymous")]
    public Task<AuthSession> Anonymous_Sdk_AddMudbaseClient() => _factory.AnonymousAsync();

    [Benchmark(Baseline = true), BenchmarkCategory("Register")]
    public Task<WireRegisterResponse> Register_HandWritten() => _c.BaselineRegisterAsync(Payloads.Email);

    [Benchmark, BenchmarkCategory("Register")]
    public Task<WireRegisterResponse> Register_PlainRefit() => _c.RefitRegisterAsync(Payloads.Email);

    [Benchmark, BenchmarkCategory("Register")]
    public Task<RegisterResult> Register_Sdk_Handler() => _handler.RegisterAsync(Payloads.Email);

    [Benchmark, BenchmarkCategory("Register")]
    public Task<RegisterResult> Register_Sdk_HttpClient() => _httpClient.RegisterAsync(Payloads.Email);

    [Benchmark, BenchmarkCategory("Register")]
    public Task<RegisterResult> Register_Sdk_AddMudbaseClient() => _factory.RegisterAsync(Payloads.Email);

    [Benchmark(Baseline = true), BenchmarkCategory("GetSession")]
    public Task<WireSessionInfo> Session_HandWritten() => _c.BaselineSessionAsync();

    [Benchmark, BenchmarkCategory("GetSession")]
    public Task<WireSessionInfo> Session_PlainRefit() => _c.RefitSessionAsync();

    [Benchmark, BenchmarkCategory("GetSession")]
    public Task<SessionInfo> Session_Sdk_Handler() => _handler.SessionAsync();

    [Benchmark, BenchmarkCategory("GetSession")]
    public Task<SessionInfo> Session_Sdk_HttpClient() => _httpClient.SessionAsync();

    [Benchmark, BenchmarkCategory("GetSession")]
    public Task<SessionInfo> Session_Sdk_AddMudbaseClient() => _factory.SessionAsync();
}
