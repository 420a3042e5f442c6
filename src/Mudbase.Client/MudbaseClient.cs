using Microsoft.Extensions.Http;
using Mudbase.Auth;
using Mudbase.Http;
using Mudbase.Internal;
using Refit;

namespace Mudbase;

/// <summary>
/// The Mudbase client. Create one per application and reuse it (it is thread-safe), or register it with
/// <c>services.AddMudbaseClient(...)</c>. It keeps one signed-in session; a server that acts for many users
/// gives each request its own view with <see cref="WithSession"/>.
/// </summary>
/// <example>
/// <code>
/// using var client = new MudbaseClient(new MudbaseClientOptions { ProjectId = "685ad30be129932fbb7a1047" });
/// var session = await client.Auth.CreateAnonymousAsync();
/// </code>
/// </example>
public sealed class MudbaseClient : IMudbaseClient, IDisposable
{
    private readonly HttpClient _http;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a client for <c>https://cloud.mudbase.dev</c> with default options.</summary>
    public MudbaseClient()
        : this(new MudbaseClientOptions())
    {
    }

    /// <summary>Creates a client with its own connection pool.</summary>
    /// <param name="options">Validated and copied: later changes to it have no effect.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public MudbaseClient(MudbaseClientOptions options)
        : this(OptionsValidator.ValidateAndFreeze(options, nameof(options)), MudbaseHttp.CreateSocketsHandler(), TimeProvider.System)
    {
    }

    /// <summary>
    /// Creates a client that sends through <paramref name="httpClient"/>, for example one with a custom handler.
    /// The caller owns it: disposing this client does not dispose it. The SDK's retries, timeouts and headers
    /// still apply on top; requests always go to <see cref="MudbaseClientOptions.BaseUrl"/>.
    /// </summary>
    /// <param name="options">Validated and copied: later changes to it have no effect.</param>
    /// <param name="httpClient">The HttpClient to send through.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public MudbaseClient(MudbaseClientOptions options, HttpClient httpClient)
        : this(OptionsValidator.ValidateAndFreeze(options, nameof(options)), new HttpClientTransport(httpClient ?? throw new ArgumentNullException(nameof(httpClient))), TimeProvider.System)
    {
    }

    /// <summary>The one constructor that builds: options already validated and frozen.</summary>
    internal MudbaseClient(MudbaseClientOptions frozenOptions, HttpMessageHandler transport, TimeProvider timeProvider)
    {
        Options = frozenOptions;
        _timeProvider = timeProvider;
        _http = MudbaseHttp.CreateHttpClient(frozenOptions, transport, timeProvider);
        Auth = CreateAuth(new SessionManager(frozenOptions.SessionStore ?? new InMemorySessionStore(), timeProvider, frozenOptions.RefreshSkew));
    }

    /// <summary>For dependency injection: sends through IHttpClientFactory's handler chain named <paramref name="httpClientName"/>.</summary>
    internal static MudbaseClient FromFactory(MudbaseClientOptions options, IHttpMessageHandlerFactory factory, string httpClientName, TimeProvider timeProvider) =>
        new(OptionsValidator.ValidateAndFreeze(options, nameof(options)), new HttpClientFactoryTransport(factory, httpClientName), timeProvider);

    /// <inheritdoc />
    public IMudbaseAuth Auth { get; }

    /// <summary>The options this client was built with (a frozen copy).</summary>
    internal MudbaseClientOptions Options { get; }

    /// <summary>
    /// A view of this client that acts for one user: it has its own session, separate from the client's and from
    /// every other view's, and shares the client's connections, retries and options. Views are cheap; create one
    /// per request or per user in a server, and never share one between users. Dispose only the client.
    /// </summary>
    /// <param name="session">The user's session (for example restored from your own storage), or null to start signed out.</param>
    /// <param name="store">Where the view keeps its session, so refreshed tokens can be saved back (for example to the
    /// user's record); null keeps it in memory only — then listen to <see cref="IMudbaseAuth.SessionChanged"/> for refreshes.</param>
    /// <returns>The view.</returns>
    public IMudbaseClient WithSession(AuthSession? session, IMudbaseSessionStore? store = null) =>
        new SessionView(CreateAuth(new SessionManager(store ?? new InMemorySessionStore(), _timeProvider, Options.RefreshSkew, session)));

    private MudbaseAuth CreateAuth(SessionManager sessions)
    {
        var settings = MudbaseHttp.CreateRefitSettings(Options, _timeProvider, sessions);
        return new MudbaseAuth(RestService.ForGenerated<IAuthApi>(_http, settings), Options, _timeProvider, sessions);
    }

    /// <summary>Releases the connections this client opened. An HttpClient given by the caller is left alone.</summary>
    public void Dispose() => _http.Dispose();

    private sealed class SessionView(IMudbaseAuth auth) : IMudbaseClient
    {
        public IMudbaseAuth Auth { get; } = auth;
    }
}
