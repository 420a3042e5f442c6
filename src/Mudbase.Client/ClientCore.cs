using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mudbase.Auth;
using Mudbase.Http;
using Refit;

namespace Mudbase;

/// <summary>
/// What a client and all of its <see cref="MudbaseClient.WithSession"/> views share: the frozen options, the HttpClient
/// with its handler pipeline, one set of Refit settings, and the areas' Refit clients, each made on first use. The
/// session is not here: it travels with each request (Refit's <c>[Property]</c>), so one Refit client serves every view.
/// </summary>
internal sealed class ClientCore
{
    private readonly RefitSettings _settings;
    private IAuthApi? _authApi;

    public ClientCore(MudbaseClientOptions frozenOptions, HttpMessageHandler transport, TimeProvider timeProvider)
    {
        Options = frozenOptions;
        TimeProvider = timeProvider;
        Logger = frozenOptions.LoggerFactory?.CreateLogger("Mudbase.Client") ?? NullLogger.Instance;
        Http = MudbaseHttp.CreateHttpClient(frozenOptions, transport, timeProvider, Logger);
        _settings = MudbaseHttp.CreateRefitSettings(timeProvider);
    }

    public MudbaseClientOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    public ILogger Logger { get; }

    public HttpClient Http { get; }

    public IAuthApi AuthApi => _authApi ?? Create(ref _authApi);

    public SessionManager NewSessionManager(IMudbaseSessionStore? store, AuthSession? initial) =>
        new(store ?? new InMemorySessionStore(), TimeProvider, Options.RefreshSkew, Logger, initial);

    /// <summary>Makes an area's Refit client once; a race makes two and keeps the first (both are stateless).</summary>
    private T Create<T>(ref T? field)
        where T : class
    {
        Interlocked.CompareExchange(ref field, RestService.ForGenerated<T>(Http, _settings), null);
        return field;
    }
}

/// <summary>
/// The areas as one session's user: a client's own, or a view's. Auth is made at once, since it refreshes the session
/// for every area; the other areas are made on first use, so a view costs the same however many areas there are.
/// </summary>
internal sealed class SessionScope : IMudbaseClient
{
    private readonly ClientCore _core;

    public SessionScope(ClientCore core, SessionManager sessions)
    {
        _core = core;
        Sessions = sessions;
        Auth = new MudbaseAuth(core.AuthApi, core.Options, core.TimeProvider, sessions);
    }

    public SessionManager Sessions { get; }

    public IMudbaseAuth Auth { get; }

    public IMudbaseClient WithSession(AuthSession? session, IMudbaseSessionStore? store = null) =>
        new SessionScope(_core, _core.NewSessionManager(store, session));
}
