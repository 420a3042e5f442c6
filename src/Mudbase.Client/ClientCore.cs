using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Mudbase.Auth;
using Mudbase.Collections;
using Mudbase.Data;
using Mudbase.Functions;
using Mudbase.Http;
using Mudbase.Storage;
using Mudbase.Roles;
using Mudbase.Search;
using Mudbase.Users;
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
    private IDataApi? _dataApi;
    private ICollectionsApi? _collectionsApi;
    private IFunctionsApi? _functionsApi;
    private IStorageApi? _storageApi;
    private IUsersApi? _usersApi;
    private ISearchApi? _searchApi;
    private IRolesApi? _rolesApi;

    public ClientCore(MudbaseClientOptions frozenOptions, HttpMessageHandler transport, TimeProvider timeProvider, bool disposeTransport)
    {
        Options = frozenOptions;
        TimeProvider = timeProvider;
        Logger = frozenOptions.LoggerFactory?.CreateLogger("Mudbase.Client") ?? NullLogger.Instance;
        Http = MudbaseHttp.CreateHttpClient(frozenOptions, transport, timeProvider, Logger, disposeTransport);
        Errors = new RefitErrorMapper(timeProvider);
        _settings = MudbaseHttp.CreateRefitSettings(Errors);
    }

    public MudbaseClientOptions Options { get; }

    public TimeProvider TimeProvider { get; }

    public ILogger Logger { get; }

    public HttpClient Http { get; }

    /// <summary>Turns every failed answer into a <see cref="MudbaseException"/>: Refit's factories and <see cref="JsonAnswer"/> both use it.</summary>
    public RefitErrorMapper Errors { get; }

    public IAuthApi AuthApi => _authApi ?? Create(ref _authApi);

    public IDataApi DataApi => _dataApi ?? Create(ref _dataApi);

    public ICollectionsApi CollectionsApi => _collectionsApi ?? Create(ref _collectionsApi);

    public IFunctionsApi FunctionsApi => _functionsApi ?? Create(ref _functionsApi);
    public IStorageApi StorageApi => _storageApi ?? Create(ref _storageApi);
    public IUsersApi UsersApi => _usersApi ?? Create(ref _usersApi);

    public ISearchApi SearchApi => _searchApi ?? Create(ref _searchApi);

    public IRolesApi RolesApi => _rolesApi ?? Create(ref _rolesApi);

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
    private MudbaseData? _data;
    private MudbaseCollections? _collections;
    private MudbaseFunctions? _functions;
    private MudbaseStorage? _storage;
    private MudbaseUsers? _users;
    private MudbaseSearch? _search;
    private MudbaseRoles? _roles;
    private Realtime.MudbaseRealtime? _realtime;

    public SessionScope(ClientCore core, SessionManager sessions)
    {
        _core = core;
        Sessions = sessions;
        Auth = new MudbaseAuth(core.AuthApi, core.Options, core.TimeProvider, sessions);
    }

    public SessionManager Sessions { get; }

    public IMudbaseAuth Auth { get; }

    public IMudbaseData Data => _data ?? Made(ref _data, new MudbaseData(_core.DataApi, _core.Errors, _core.Options, Sessions, this));

    public IMudbaseCollections Collections =>
        _collections ?? Made(ref _collections, new MudbaseCollections(_core.CollectionsApi, _core.Errors, _core.Options, Sessions));

    public IMudbaseFunctions Functions =>
        _functions ?? Made(ref _functions, new MudbaseFunctions(_core.FunctionsApi, _core.Options, Sessions, _core.TimeProvider));
    public IMudbaseStorage Storage =>
        _storage ?? Made(ref _storage, new MudbaseStorage(_core.StorageApi, _core.Errors, _core.Options, Sessions, _core.Http));
    public IMudbaseUsers Users =>
        _users ?? Made(ref _users, new MudbaseUsers(_core.UsersApi, _core.Errors, _core.Options, _core.TimeProvider, Sessions));

    public IMudbaseSearch Search => _search ?? Made(ref _search, new MudbaseSearch(_core.SearchApi, _core.Options, Sessions));

    public IMudbaseRoles Roles => _roles ?? Made(ref _roles, new MudbaseRoles(_core.RolesApi, _core.Errors, _core.Options, Sessions));

    public Realtime.IMudbaseRealtime Realtime => RealtimeConnection;

    /// <summary>The session's realtime connection, made on first use (it connects only when something is watched).</summary>
    public Realtime.MudbaseRealtime RealtimeConnection =>
        _realtime ?? Made(ref _realtime, new Realtime.MudbaseRealtime(_core.Options, Sessions, _core.TimeProvider, _core.Logger));

    /// <summary>Closes the realtime connection, if one was made.</summary>
    public ValueTask CloseRealtimeAsync() => _realtime?.DisposeAsync() ?? default;

    public IMudbaseClient WithSession(AuthSession? session, IMudbaseSessionStore? store = null) =>
        new SessionScope(_core, _core.NewSessionManager(store, session));

    /// <summary>Keeps the first area made: a race makes two and drops one (areas hold no state of their own).</summary>
    private static T Made<T>(ref T? field, T made)
        where T : class
    {
        Interlocked.CompareExchange(ref field, made, null);
        return field;
    }
}
