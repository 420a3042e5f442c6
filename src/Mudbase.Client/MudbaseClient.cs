using Microsoft.Extensions.Http;
using Mudbase.Auth;
using Mudbase.Collections;
using Mudbase.Data;
using Mudbase.Functions;
using Mudbase.Roles;
using Mudbase.Search;
using Mudbase.Users;
using Mudbase.Http;
using Mudbase.Internal;
using Mudbase.Storage;

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
public sealed class MudbaseClient : IMudbaseClient, IDisposable, IAsyncDisposable
{
    private readonly ClientCore _core;
    private readonly SessionScope _scope;

    /// <summary>Creates a client for <c>https://cloud.mudbase.dev</c> with default options.</summary>
    public MudbaseClient()
        : this(new MudbaseClientOptions())
    {
    }

    /// <summary>Creates a client with its own connection pool.</summary>
    /// <param name="options">Validated and copied: later changes to it have no effect.</param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public MudbaseClient(MudbaseClientOptions options)
        : this(OptionsValidator.ValidateAndFreeze(options, nameof(options)), MudbaseHttp.CreateDefaultHandler(), TimeProvider.System)
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

    /// <summary>
    /// Creates a client that sends through <paramref name="handler"/>, for example a <c>SocketsHttpHandler</c>
    /// configured your way, a proxy's, or a test's. It sits directly under the SDK's own handlers (sessions, retries
    /// and timeouts, telemetry) and receives each attempt, a retry included; no second <see cref="HttpClient"/> is
    /// involved, so this costs less per call than <see cref="MudbaseClient(MudbaseClientOptions, HttpClient)"/>.
    /// Requests always go to <see cref="MudbaseClientOptions.BaseUrl"/>. A retry sends the same request message again
    /// (with its body), so a handler must not dispose the request or its content.
    /// </summary>
    /// <param name="options">Validated and copied: later changes to it have no effect.</param>
    /// <param name="handler">The handler that sends each attempt, usually the one that owns the connections.</param>
    /// <param name="disposeHandler">
    /// Whether disposing this client disposes <paramref name="handler"/>: <see langword="false"/> (the default) leaves it to
    /// the caller, who may share it between clients.
    /// </param>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="handler"/> is null.</exception>
    public MudbaseClient(MudbaseClientOptions options, HttpMessageHandler handler, bool disposeHandler = false)
        : this(OptionsValidator.ValidateAndFreeze(options, nameof(options)), handler ?? throw new ArgumentNullException(nameof(handler)), TimeProvider.System, disposeHandler)
    {
    }

    /// <summary>The one constructor that builds: options already validated and frozen.</summary>
    internal MudbaseClient(MudbaseClientOptions frozenOptions, HttpMessageHandler transport, TimeProvider timeProvider, bool disposeTransport = true)
    {
        _core = new ClientCore(frozenOptions, transport, timeProvider, disposeTransport);
        _scope = new SessionScope(_core, _core.NewSessionManager(frozenOptions.SessionStore, initial: null));
    }

    /// <summary>For dependency injection: sends through IHttpClientFactory's handler chain named <paramref name="httpClientName"/>.</summary>
    internal static MudbaseClient FromFactory(MudbaseClientOptions options, IHttpMessageHandlerFactory factory, string httpClientName, TimeProvider timeProvider) =>
        new(OptionsValidator.ValidateAndFreeze(options, nameof(options)), new HttpClientFactoryTransport(factory, httpClientName), timeProvider);

    /// <inheritdoc />
    public IMudbaseAuth Auth => _scope.Auth;

    /// <inheritdoc />
    public IMudbaseData Data => _scope.Data;

    /// <inheritdoc />
    public IMudbaseCollections Collections => _scope.Collections;

    /// <inheritdoc />
    public IMudbaseFunctions Functions => _scope.Functions;

    /// <inheritdoc />
    public IMudbaseStorage Storage => _scope.Storage;

    /// <inheritdoc />
    public IMudbaseUsers Users => _scope.Users;

    /// <inheritdoc />
    public IMudbaseSearch Search => _scope.Search;

    /// <inheritdoc />
    public IMudbaseRoles Roles => _scope.Roles;

    /// <inheritdoc />
    public Realtime.IMudbaseRealtime Realtime => _scope.Realtime;

    /// <summary>The options this client was built with (a frozen copy).</summary>
    internal MudbaseClientOptions Options => _core.Options;

    /// <inheritdoc />
    public IMudbaseClient WithSession(AuthSession? session, IMudbaseSessionStore? store = null) => _scope.WithSession(session, store);

    /// <summary>
    /// Releases the connections this client opened. An HttpClient given by the caller is left alone, and so is a handler
    /// given without <c>disposeHandler: true</c>.
    /// </summary>
    /// <remarks>The realtime connection, if open, is closed without waiting for the server's answer: use <see cref="DisposeAsync"/> to close it cleanly.</remarks>
    public void Dispose()
    {
        _ = _scope.CloseRealtimeAsync().AsTask();
        _core.Http.Dispose();
    }

    /// <summary>Closes the realtime connection cleanly (ending every watch), then releases what <see cref="Dispose"/> releases.</summary>
    /// <returns>A task that completes once closed.</returns>
    public async ValueTask DisposeAsync()
    {
        await _scope.CloseRealtimeAsync().ConfigureAwait(false);
        _core.Http.Dispose();
    }
}
