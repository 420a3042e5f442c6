using Microsoft.Extensions.DependencyInjection;
using Mudbase.Auth;

namespace Mudbase.Benchmarks;

/// <summary>
/// The public ways of building the SDK that the benchmarks measure, each named as the contenders' tables name it. Every
/// one goes through public API only (the benchmarks have no access to the SDK's internals).
/// </summary>
public static class SdkPaths
{
    /// <summary><c>new MudbaseClient(options)</c>: the SDK's own socket handler. Loopback only (nothing can be plugged in).</summary>
    public const string Default = "sdk";

    /// <summary><c>new MudbaseClient(options, handler, disposeHandler: true)</c>: the handler directly under the SDK's own.</summary>
    public const string Handler = "sdk-handler";

    /// <summary><c>new MudbaseClient(options, httpClient)</c>: each attempt through the caller's HttpClient.</summary>
    public const string HttpClient = "sdk-httpclient";

    /// <summary><c>services.AddMudbaseClient(...)</c> (with <c>ConfigurePrimaryHttpMessageHandler</c> over the canned handler).</summary>
    public const string Factory = "sdk-di";

    public static readonly string[] All = [Default, Handler, HttpClient, Factory];

    /// <summary>The paths a canned transport can be plugged into.</summary>
    public static readonly string[] Pluggable = [Handler, HttpClient, Factory];

    public static string Describe(string path) => path switch
    {
        Default => "SDK, new MudbaseClient(options)",
        Handler => "SDK, (options, handler)",
        HttpClient => "SDK, (options, httpClient)",
        Factory => "SDK, AddMudbaseClient",
        _ => path,
    };
}

/// <summary>One SDK client built one public way, and a view of it signed in as the benchmark's user.</summary>
public sealed class SdkContender(string path, MudbaseClient client, IMudbaseClient asUser, IDisposable owner)
{
    public string Path { get; } = path;

    public MudbaseClient Client { get; } = client;

    public IMudbaseClient AsUser { get; } = asUser;

    public Task<AuthSession> AnonymousAsync() => Client.Auth.CreateAnonymousAsync();

    public Task<RegisterResult> RegisterAsync(string email) =>
        Client.Auth.RegisterAsync(new RegisterRequest { Email = email, Password = Payloads.Password, FirstName = "Ada", LastName = "Lovelace" });

    public Task<SessionInfo> SessionAsync() => AsUser.Auth.GetSessionAsync();

    /// <summary>Disposes what owns the client: the client itself, or the service provider that made it.</summary>
    public void Dispose() => owner.Dispose();
}

/// <summary>The contenders, built over one kind of transport (the canned handler or loopback sockets).</summary>
public sealed class Contenders : IDisposable
{
    private readonly Dictionary<string, SdkContender> _sdks;

    private Contenders(Uri baseUrl, HttpClient baseline, IPlainRefitAuthApi refit, Dictionary<string, SdkContender> sdks, string token)
    {
        BaseUrl = baseUrl;
        Baseline = baseline;
        Refit = refit;
        _sdks = sdks;
        Token = token;
    }

    public Uri BaseUrl { get; }

    /// <summary>The hand-written baseline's one long-lived HttpClient.</summary>
    public HttpClient Baseline { get; }

    public IPlainRefitAuthApi Refit { get; }

    public string Token { get; }

    /// <summary>The SDK paths built here (<see cref="SdkPaths"/>).</summary>
    public IEnumerable<string> SdkPathsBuilt => _sdks.Keys;

    /// <summary>The SDK built one public way (see <see cref="SdkPaths"/>).</summary>
    public SdkContender Sdk(string path) =>
        _sdks.TryGetValue(path, out var sdk) ? sdk : throw new ArgumentException($"No SDK contender '{path}' here (built: {string.Join(", ", _sdks.Keys)}).");

    /// <summary>
    /// Over <paramref name="transport"/>, a fresh handler per contender (named: "baseline", "refit", or the SDK path).
    /// <paramref name="pluggedPaths"/> get that handler through public API; <see cref="SdkPaths.Default"/>, when asked for,
    /// gets the SDK's own socket handler.
    /// </summary>
    public static Contenders Create(Uri baseUrl, Func<string, HttpMessageHandler> transport, string token, IEnumerable<string> pluggedPaths, bool withDefault)
    {
        var session = new AuthSession(token, Payloads.RefreshToken, 86400, DateTimeOffset.UtcNow.AddDays(1), new MudbaseUser(Payloads.UserId, Payloads.Email));
        var sdks = new Dictionary<string, SdkContender>();
        foreach (var path in pluggedPaths.Concat(withDefault ? [SdkPaths.Default] : []))
        {
            var (client, owner) = BuildSdk(path, baseUrl, () => transport(path));
            sdks[path] = new SdkContender(path, client, client.WithSession(session), owner);
        }

        return new Contenders(
            baseUrl,
            HandWritten.CreateHttpClient(transport("baseline"), baseUrl),
            PlainRefit.Create(transport("refit"), baseUrl),
            sdks,
            token);
    }

    /// <summary>The SDK as a user builds it, one public way.</summary>
    private static (MudbaseClient Client, IDisposable Owner) BuildSdk(string path, Uri baseUrl, Func<HttpMessageHandler> transport)
    {
        var options = new MudbaseClientOptions { BaseUrl = baseUrl, ProjectId = Payloads.ProjectId };
        switch (path)
        {
            case SdkPaths.Default:
            {
                var client = new MudbaseClient(options);
                return (client, client);
            }

            case SdkPaths.Handler:
            {
                var client = new MudbaseClient(options, transport(), disposeHandler: true);
                return (client, client);
            }

            case SdkPaths.HttpClient:
            {
                // The caller's HttpClient, as a user would make it (default timeout and all); it outlives the client.
                var http = new HttpClient(transport(), disposeHandler: true);
                var client = new MudbaseClient(options, http);
                return (client, new Both(client, http));
            }

            case SdkPaths.Factory:
            {
                var services = new ServiceCollection();
                services.AddMudbaseClient(o =>
                {
                    o.BaseUrl = baseUrl;
                    o.ProjectId = Payloads.ProjectId;
                }).ConfigurePrimaryHttpMessageHandler(transport);
                var provider = services.BuildServiceProvider();
                return (provider.GetRequiredService<MudbaseClient>(), provider);
            }

            default:
                throw new ArgumentException($"Unknown SDK path {path} ({string.Join(", ", SdkPaths.All)}).");
        }
    }

    /// <summary>
    /// Over loopback sockets: the baseline and Refit over a default socket handler; the SDK's default path over its own,
    /// the handler and HttpClient paths over the same default socket handler, and AddMudbaseClient over the factory's
    /// primary handler as the SDK configures it.
    /// </summary>
    public static Contenders CreateLoopback(Uri baseUrl, string token) =>
        Create(baseUrl, _ => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, token, [SdkPaths.Handler, SdkPaths.HttpClient], withDefault: true)
            .WithFactoryDefaults(baseUrl, token);

    /// <summary>Over the canned handler: every path a transport can be plugged into.</summary>
    public static Contenders CreateCanned(Func<string, CannedHandler> handler) =>
        Create(new Uri("http://127.0.0.1:8787/"), handler, Payloads.Token, SdkPaths.Pluggable, withDefault: false);

    /// <summary>Adds AddMudbaseClient as registered (its own primary handler): over loopback nothing is plugged in.</summary>
    private Contenders WithFactoryDefaults(Uri baseUrl, string token)
    {
        var services = new ServiceCollection();
        services.AddMudbaseClient(o =>
        {
            o.BaseUrl = baseUrl;
            o.ProjectId = Payloads.ProjectId;
        });
        var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<MudbaseClient>();
        var session = new AuthSession(token, Payloads.RefreshToken, 86400, DateTimeOffset.UtcNow.AddDays(1), new MudbaseUser(Payloads.UserId, Payloads.Email));
        _sdks[SdkPaths.Factory] = new SdkContender(SdkPaths.Factory, client, client.WithSession(session), provider);
        return this;
    }

    // ---- the calls, one per contender and operation ----

    public Task<WireSession> BaselineAnonymousAsync() => HandWritten.CreateAnonymousAsync(Baseline, Payloads.ProjectId);

    public Task<WireSession> RefitAnonymousAsync() => Refit.CreateAnonymousAsync(new AnonymousBody { ProjectId = Payloads.ProjectId }, CancellationToken.None);

    public Task<WireRegisterResponse> BaselineRegisterAsync(string email) =>
        HandWritten.RegisterAsync(Baseline, new RegisterBody { Email = email, Password = Payloads.Password, FirstName = "Ada", LastName = "Lovelace", ProjectId = Payloads.ProjectId });

    public Task<WireRegisterResponse> RefitRegisterAsync(string email) =>
        Refit.RegisterAsync(new RegisterBody { Email = email, Password = Payloads.Password, FirstName = "Ada", LastName = "Lovelace", ProjectId = Payloads.ProjectId }, CancellationToken.None);

    public Task<WireSessionInfo> BaselineSessionAsync() => HandWritten.GetSessionAsync(Baseline, Token, Payloads.ProjectId);

    public Task<WireSessionInfo> RefitSessionAsync() => Refit.GetSessionAsync(Payloads.ProjectId, Token, CancellationToken.None);

    public void Dispose()
    {
        Baseline.Dispose();
        foreach (var sdk in _sdks.Values)
        {
            sdk.Dispose();
        }
    }

    private sealed class Both(IDisposable first, IDisposable second) : IDisposable
    {
        public void Dispose()
        {
            first.Dispose();
            second.Dispose();
        }
    }
}
