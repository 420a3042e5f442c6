using Mudbase.Auth;
using Mudbase.Internal;

namespace Mudbase.Benchmarks;

/// <summary>The three contenders, built over one transport (the canned handler or loopback sockets).</summary>
public sealed class Contenders : IDisposable
{
    private Contenders(Uri baseUrl, HttpClient baseline, IPlainRefitAuthApi refit, MudbaseClient sdk, IMudbaseClient sdkAsUser, string token)
    {
        BaseUrl = baseUrl;
        Baseline = baseline;
        Refit = refit;
        Sdk = sdk;
        SdkAsUser = sdkAsUser;
        Token = token;
    }

    public Uri BaseUrl { get; }

    /// <summary>The hand-written baseline's one long-lived HttpClient.</summary>
    public HttpClient Baseline { get; }

    public IPlainRefitAuthApi Refit { get; }

    public MudbaseClient Sdk { get; }

    /// <summary>A view of <see cref="Sdk"/> signed in as the user whose token the other two send.</summary>
    public IMudbaseClient SdkAsUser { get; }

    public string Token { get; }

    /// <summary>
    /// Over <paramref name="transport"/> (fresh handler per contender from the factory). The SDK gets the canned handler as the
    /// transport under its real pipeline (auth handler, retry handler) through the internal constructor.
    /// </summary>
    public static Contenders Create(Uri baseUrl, Func<HttpMessageHandler> transport, string token, bool viaInternalConstructor)
    {
        var options = new MudbaseClientOptions { BaseUrl = baseUrl, ProjectId = Payloads.ProjectId };
        var sdk = viaInternalConstructor
            ? new MudbaseClient(OptionsValidator.ValidateAndFreeze(options, "options"), transport(), TimeProvider.System)
            : new MudbaseClient(options);
        var session = new AuthSession(token, Payloads.RefreshToken, 86400, DateTimeOffset.UtcNow.AddDays(1), new MudbaseUser(Payloads.UserId, Payloads.Email));
        return new Contenders(
            baseUrl,
            HandWritten.CreateHttpClient(transport(), baseUrl),
            PlainRefit.Create(transport(), baseUrl),
            sdk,
            sdk.WithSession(session),
            token);
    }

    /// <summary>Over loopback sockets: the SDK as users build it (its own SocketsHttpHandler), the others over a default one.</summary>
    public static Contenders CreateLoopback(Uri baseUrl, string token) =>
        Create(baseUrl, () => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, token, viaInternalConstructor: false);

    public static Contenders CreateCanned(Func<CannedHandler> handler) =>
        Create(new Uri("http://127.0.0.1:8787/"), handler, Payloads.Token, viaInternalConstructor: true);

    // ---- the calls, one per contender and operation ----

    public Task<WireSession> BaselineAnonymousAsync() => HandWritten.CreateAnonymousAsync(Baseline, Payloads.ProjectId);

    public Task<WireSession> RefitAnonymousAsync() => Refit.CreateAnonymousAsync(new AnonymousBody { ProjectId = Payloads.ProjectId }, CancellationToken.None);

    public Task<AuthSession> SdkAnonymousAsync() => Sdk.Auth.CreateAnonymousAsync();

    public Task<WireRegisterResponse> BaselineRegisterAsync(string email) =>
        HandWritten.RegisterAsync(Baseline, new RegisterBody { Email = email, Password = Payloads.Password, FirstName = "Ada", LastName = "Lovelace", ProjectId = Payloads.ProjectId });

    public Task<WireRegisterResponse> RefitRegisterAsync(string email) =>
        Refit.RegisterAsync(new RegisterBody { Email = email, Password = Payloads.Password, FirstName = "Ada", LastName = "Lovelace", ProjectId = Payloads.ProjectId }, CancellationToken.None);

    public Task<RegisterResult> SdkRegisterAsync(string email) =>
        Sdk.Auth.RegisterAsync(new RegisterRequest { Email = email, Password = Payloads.Password, FirstName = "Ada", LastName = "Lovelace" });

    public Task<WireSessionInfo> BaselineSessionAsync() => HandWritten.GetSessionAsync(Baseline, Token, Payloads.ProjectId);

    public Task<WireSessionInfo> RefitSessionAsync() => Refit.GetSessionAsync(Payloads.ProjectId, Token, CancellationToken.None);

    public Task<SessionInfo> SdkSessionAsync() => SdkAsUser.Auth.GetSessionAsync();

    public void Dispose()
    {
        Baseline.Dispose();
        Sdk.Dispose();
    }
}
