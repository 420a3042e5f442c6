using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Mudbase.Emulator.Chaos;
using Mudbase.Emulator.Data;
using Mudbase.Emulator.Functions;
using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.Roles;
using Mudbase.Emulator.Realtime;
using Mudbase.Emulator.State;
using Mudbase.Emulator.Storage;

namespace Mudbase.Emulator;

/// <summary>
/// A local, Mudbase-compatible HTTP server on loopback, for tests and offline development.
/// Each instance has its own state, so several can run side by side in one process.
/// </summary>
/// <example>
/// <code>
/// await using var emulator = await MudbaseEmulator.StartAsync();
/// // point the client at emulator.BaseUrl and use emulator.DefaultProjectId
/// </code>
/// </example>
public sealed class MudbaseEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EmulatorStore _store;
    private readonly ObjectIdGenerator _ids;
    private readonly TimeProvider _timeProvider;
    private readonly ChaosState _chaos;
    private readonly DataState _data;
    private readonly StorageState _storage;
    private readonly FunctionsState _functions;
    private readonly RolesState _roles;
    private readonly RealtimeHub _realtime;
    private int _disposed;

    private MudbaseEmulator(WebApplication app, EmulatorStore store, ObjectIdGenerator ids, TimeProvider timeProvider, ChaosState chaos, DataState data, StorageState storage, FunctionsState functions, RolesState roles, RealtimeHub realtime, Uri baseUrl)
    {
        _realtime = realtime;
        _storage = storage;
        _roles = roles;
        _app = app;
        _store = store;
        _ids = ids;
        _timeProvider = timeProvider;
        _chaos = chaos;
        _data = data;
        _functions = functions;
        BaseUrl = baseUrl;
    }

    /// <summary>The server's root, such as <c>http://127.0.0.1:54321/</c> (always with a trailing slash).</summary>
    public Uri BaseUrl { get; }

    /// <summary>A seeded project that requires email verification, as hosted projects do by default. Fixed across runs.</summary>
    public string DefaultProjectId => SeededProjects.DefaultProjectId;

    /// <summary>A seeded project that does not require email verification: registration returns tokens at once. Fixed across runs.</summary>
    public string NoVerificationProjectId => SeededProjects.NoVerificationProjectId;

    /// <summary>
    /// The API key of <see cref="DefaultProjectId"/>, for the <c>X-API-Key</c> header: allowed every data and
    /// collection call, org-only ones included. Fixed across runs; see <see cref="GetApiKey"/>.
    /// </summary>
    public string ApiKey => ApiKeys.For(SeededProjects.DefaultProjectId);

    /// <summary>Starts an emulator and returns once it accepts connections.</summary>
    /// <param name="options">The settings; <see langword="null"/> for the defaults. They are read once, here.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running emulator; dispose it to stop it.</returns>
    /// <exception cref="ArgumentOutOfRangeException">
    /// The port, a token lifetime, or a chaos setting is out of range (a probability outside [0, 1], or
    /// probabilities that add up to more than 1); the exception names the property.
    /// </exception>
    /// <exception cref="IOException">The port could not be bound.</exception>
    public static async Task<MudbaseEmulator> StartAsync(MudbaseEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        var settings = EmulatorSettings.From(options ?? new MudbaseEmulatorOptions());
        var ids = new ObjectIdGenerator(settings.TimeProvider);
        var store = new EmulatorStore();
        SeededProjects.AddTo(store, settings.TimeProvider.GetUtcNow());
        var chaos = new ChaosState(settings.Chaos);
        var data = new DataState(store, settings.TimeProvider, ids);
        var storage = new StorageState(store, settings.TimeProvider, ids, settings.MaxFileUploadBytes);
        var functions = new FunctionsState(store, settings.TimeProvider, ids);

        var roles = new RolesState(store, ids, settings.TimeProvider);
        var realtime = new RealtimeHub(data, settings.Realtime);
        var app = EmulatorApplication.Build(settings, store, ids, chaos, data, storage, functions, roles, realtime);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            return new MudbaseEmulator(app, store, ids, settings.TimeProvider, chaos, data, storage, functions, roles, realtime, ReadBaseUrl(app));
        }
        catch
        {
            realtime.Dispose();
            functions.Dispose();
            await app.DisposeAsync().ConfigureAwait(false);
            storage.Dispose();
            throw;
        }
    }

    /// <summary>Creates an empty project in this emulator.</summary>
    /// <param name="requireEmailVerification">Whether new users must verify their email before they get tokens.</param>
    /// <param name="name">The project's name; a generated one when <see langword="null"/>.</param>
    /// <returns>The new project's id (24 lowercase hex characters).</returns>
    public string CreateProject(bool requireEmailVerification = true, string? name = null)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var id = _ids.Next();
        _store.AddProject(new Project(id, name ?? "Project " + id, requireEmailVerification, _timeProvider.GetUtcNow()));
        return id;
    }

    /// <summary>
    /// The API key of a project of this emulator, for the <c>X-API-Key</c> header (or <c>Authorization: Bearer</c>).
    /// Each project has one, made from its id, so it is the same in every run: <c>ak_emulator_&lt;projectId&gt;</c>.
    /// It is valid for that project only.
    /// </summary>
    /// <param name="projectId">The project's id, such as one <see cref="CreateProject"/> returned.</param>
    /// <returns>The project's API key.</returns>
    /// <exception cref="ArgumentException">The emulator has no such project.</exception>
    public string GetApiKey(string projectId)
    {
        ArgumentNullException.ThrowIfNull(projectId);
        return FindProject(projectId) is { } project ? ApiKeys.For(project.Id) : throw new ArgumentException("No such project: " + projectId, nameof(projectId));
    }

    /// <summary>
    /// Creates a collection without HTTP, as <c>POST /api/schemas/projects/{projectId}/collections</c> with the API
    /// key would. Documents are then at <c>/api/data/projects/{projectId}/collections/{name, slug or _id}/data</c>.
    /// </summary>
    /// <param name="collection">The collection's name, fields and permissions; read once, here.</param>
    /// <param name="projectId">The project; <see langword="null"/> for <see cref="DefaultProjectId"/>.</param>
    /// <returns>The new collection's <c>_id</c> (24 lowercase hex characters).</returns>
    /// <exception cref="ArgumentException">
    /// The project does not exist, the schema breaks a rule (an unknown field type or action, a duplicate field, a
    /// bad slug or condition; the message lists them), or the project has a collection with that name or slug.
    /// </exception>
    public string CreateCollection(EmulatorCollectionOptions collection, string? projectId = null)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var project = FindProject(projectId ?? DefaultProjectId)
            ?? throw new ArgumentException("No such project: " + projectId, nameof(projectId));
        var draft = CollectionOptionsReader.Read(collection);
        return _data.AddCollection(project.Id, draft)?.Id
            ?? throw new ArgumentException($"The project already has a collection named \"{draft.Name}\" or with the slug \"{draft.Slug}\".", nameof(collection));
    }

    /// <summary>
    /// Creates a storage bucket without HTTP, as <c>POST /api/bucket/projects/{projectId}/buckets</c> with the API key
    /// would. Files are then at <c>/api/bucket/projects/{projectId}/buckets/{bucketId}/files</c>. Every project also has
    /// a bucket named <c>default</c> (see <see cref="FindBucketId"/>).
    /// </summary>
    /// <param name="name">The bucket's name, unique in its project.</param>
    /// <param name="isPublic">Whether the bucket is public. Its files are not public for that: each upload says.</param>
    /// <param name="projectId">The project; <see langword="null"/> for <see cref="DefaultProjectId"/>.</param>
    /// <returns>The new bucket's <c>_id</c> (24 lowercase hex characters).</returns>
    /// <exception cref="ArgumentException">The name is empty, the project does not exist, or it has a bucket of that name.</exception>
    public string CreateBucket(string name, bool isPublic = false, string? projectId = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        var project = FindProject(projectId ?? DefaultProjectId) ?? throw new ArgumentException("No such project: " + projectId, nameof(projectId));
        return _storage.AddBucket(project.Id, name, isPublic, StorageJson.EmptyObject)?.Id
            ?? throw new ArgumentException($"The project already has a bucket named \"{name}\".", nameof(name));
    }

    /// <summary>The <c>_id</c> of a project's bucket, by name, such as the <c>default</c> bucket every project has.</summary>
    /// <param name="name">The bucket's name; <c>default</c> when not given.</param>
    /// <param name="projectId">The project; <see langword="null"/> for <see cref="DefaultProjectId"/>.</param>
    /// <returns>The bucket's <c>_id</c>, or <see langword="null"/> when the project (or the bucket) does not exist.</returns>
    public string? FindBucketId(string name = "default", string? projectId = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return FindProject(projectId ?? DefaultProjectId) is { } project ? _storage.FindBucketByName(project.Id, name)?.Id : null;
    }

    /// <summary>
    /// Creates a function whose runs call <paramref name="handler"/> instead of user code, served at
    /// <c>/api/functions/projects/{projectId}/functions/{id}</c> as the hosted service serves one: <c>execute</c> answers
    /// 202 with a run id, and the run goes queued → running → success (the handler's return value is its result), failed
    /// (the handler threw: its message is the error, its type the error class, and both reach stderr) or timeout (it ran
    /// past <see cref="EmulatorFunctionOptions.Timeout"/>).
    /// </summary>
    /// <param name="name">The function's name.</param>
    /// <param name="handler">
    /// Called once per run with the run's payload and log writers; its token is cancelled when the run times out or the
    /// emulator stops. Runs may overlap, so it must be thread-safe.
    /// </param>
    /// <param name="options">Delays, time limit, activity and limits; <see langword="null"/> for the defaults. Read once, here.</param>
    /// <param name="projectId">The project; <see langword="null"/> for <see cref="DefaultProjectId"/>.</param>
    /// <returns>The new function's id (24 lowercase hex characters).</returns>
    /// <exception cref="ArgumentException">The name is blank, the project does not exist, or an option is out of range (the exception names it).</exception>
    /// <example>
    /// <code>
    /// var quote = emulator.CreateFunction("quote", (run, ct) =>
    /// {
    ///     run.Log("pricing " + run.Payload?["items"]);
    ///     return Task.FromResult&lt;JsonNode?&gt;(new JsonObject { ["total"] = 42 });
    /// });
    /// </code>
    /// </example>
    public string CreateFunction(
        string name, Func<EmulatorFunctionContext, CancellationToken, Task<JsonNode?>> handler, EmulatorFunctionOptions? options = null, string? projectId = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(handler);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        options ??= new EmulatorFunctionOptions();
        ArgumentOutOfRangeException.ThrowIfLessThan(options.QueueDelay, TimeSpan.Zero, "options.QueueDelay");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Delay, TimeSpan.Zero, "options.Delay");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Timeout, TimeSpan.Zero, "options.Timeout");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxExecutionsPerMinute ?? 1, 1, "options.MaxExecutionsPerMinute");
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxPayloadBytes, "options.MaxPayloadBytes");
        var project = FindProject(projectId ?? DefaultProjectId)
            ?? throw new ArgumentException("No such project: " + projectId, nameof(projectId));
        return _functions.Add(project.Id, name, handler, options).Id;
    }

    /// <summary>
    /// Approves a pending role elevation, as a project admin would: its user gets the role at once (the server's next
    /// answers say so), and their client's token carries it from its next refresh. In every project, an elevation into
    /// <c>customer</c> is approved at once and one into <c>vendor</c> waits for this call.
    /// </summary>
    /// <param name="requestId">The <c>requestId</c> of the elevation's answer (<c>ElevationResult.RequestId</c> in the client).</param>
    /// <exception cref="ArgumentException">There is no pending elevation with that id.</exception>
    public void ApproveElevation(string requestId)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (!_roles.Approve(requestId))
        {
            throw new ArgumentException("No pending role elevation with this id: " + requestId, nameof(requestId));
        }
    }

    /// <summary>Counts the users of a project, anonymous ones included; 0 for an unknown project.</summary>
    /// <param name="projectId">The project's id.</param>
    /// <returns>How many users the project has.</returns>
    public int CountUsers(string projectId)
    {
        ArgumentNullException.ThrowIfNull(projectId);
        return _store.CountUsers(projectId);
    }

    /// <summary>
    /// The emails and SMS the emulator would have sent to a recipient, oldest first: verification
    /// and password-reset emails, magic links and sign-in codes. Also served as
    /// <c>GET /emulator/outbox?to=…</c>.
    /// </summary>
    /// <param name="to">An email address (any case) or a phone number (E.164, such as <c>+15551234567</c>).</param>
    /// <returns>A snapshot of the recipient's messages; empty when there are none.</returns>
    public IReadOnlyList<EmulatorOutboxMessage> GetOutbox(string to)
    {
        ArgumentNullException.ThrowIfNull(to);
        return _store.GetOutbox(to);
    }

    /// <summary>Counts of what this emulator has served so far, such as refresh requests and refresh-token reuses.</summary>
    /// <returns>A snapshot; later requests do not change it.</returns>
    public EmulatorStatistics GetStatistics() => _store.GetStatistics();

    /// <summary>
    /// Puts other chaos in force, or none: say, off at the end of a test, to check the final state
    /// with a reliable connection. The options are copied, and the draws start afresh from their
    /// seed. Requests already past the draw finish under the chaos they drew.
    /// </summary>
    /// <param name="chaos">The faults to inject from now on; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentOutOfRangeException">A probability is outside [0, 1], they add up to more than 1, or the delay is out of range.</exception>
    public void SetChaos(EmulatorChaosOptions? chaos)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        _chaos.Configure(chaos is null ? null : ChaosSettings.From(chaos));
    }

    /// <summary>What chaos mode has done so far: faults by kind, and the requests it drew for.</summary>
    /// <returns>A snapshot; later requests do not change it.</returns>
    public EmulatorChaosStatistics GetChaosStatistics() => _chaos.GetStatistics();

    /// <summary>
    /// How many signed-in realtime sockets hear of writes to a collection: joined its room with
    /// <c>subscribe:collection</c>, or holding a <c>subscribe:query</c> on it. Zero once every client has unsubscribed or
    /// gone.
    /// </summary>
    /// <param name="collection">The collection's <c>_id</c>, slug or name.</param>
    /// <param name="projectId">The project; <see langword="null"/> for <see cref="DefaultProjectId"/>.</param>
    /// <returns>The number of sockets; 0 when there is no such collection.</returns>
    public int GetRealtimeSubscriberCount(string collection, string? projectId = null)
    {
        ArgumentNullException.ThrowIfNull(collection);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return FindProject(projectId ?? DefaultProjectId) is { } project && _data.FindCollection(project.Id, collection) is { } schema
            ? _realtime.CountSubscribers(schema.Id)
            : 0;
    }

    /// <summary>
    /// Drops every realtime connection at once, without a close handshake, as a lost network link would: clients see
    /// the socket fail, reconnect, and must subscribe again. Writes made meanwhile are not replayed to them.
    /// </summary>
    /// <returns>How many connections were dropped.</returns>
    public int DropRealtimeConnections()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _realtime.DropAll();
    }

    /// <summary>
    /// Makes every open realtime connection go silent without closing, as a half-open link does (a NAT that forgot the
    /// connection, a cable pulled out): no more events and no more pings, and the server stops waiting for pongs. Clients
    /// notice only by their own ping timeout (pingInterval + pingTimeout, see <see cref="MudbaseEmulatorOptions.RealtimePingInterval"/>),
    /// then reconnect on a new connection, which is not stalled.
    /// </summary>
    /// <returns>How many connections were stalled.</returns>
    public int StallRealtimeConnections()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _realtime.StallAll();
    }

    /// <summary>
    /// Refuses every new realtime connection (503, as a server that is down would) until the returned handle is
    /// disposed; connections already open stay. With <see cref="DropRealtimeConnections"/> it keeps clients cut off for as
    /// long as a test needs, for example while it writes what they will have to resync.
    /// </summary>
    /// <returns>A handle: disposing it lets connections in again.</returns>
    public IDisposable RefuseRealtimeConnections()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        return _realtime.Refuse();
    }

    /// <summary>Stops the server, releases its port and deletes its stored files' bytes. Safe to call more than once.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _functions.Dispose();
        // Open sockets first: the host would otherwise wait for them to end on their own.
        _realtime.Dispose();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        // Stored files' bytes, on disk: deleted once no request can read them.
        _storage.Dispose();
    }

    private Project? FindProject(string projectId) =>
        ObjectIdGenerator.IsValid(projectId) ? _store.FindProject(projectId.ToLowerInvariant()) : null;

    // With port 0 only the running server knows which port it got.
    private static Uri ReadBaseUrl(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses;
        return new Uri(addresses.Single().TrimEnd('/') + "/");
    }
}
