// The Mudbase .NET SDK in one page: a guest session converted to an account, registrations with and without
// email verification, a duplicate caught as a typed exception, then a verified sign-in, a refresh, the server's
// view of the session; documents (a collection created with the API key, then created, queried, paged, updated and
// deleted as the user, and a refused write as a typed exception); files (a generated file uploaded by the server app
// with progress, listed by the user, downloaded back through a signed URL, its hash checked); realtime (the user
// watches a shared to-do list while another client writes to it, then the connection is cut, the other client writes
// on, and the watch resyncs); a function run as an operation; and sign-out. Each "ok:" line is a check: a wrong result
// fails the run (exit code 1).
//
// With no configuration it starts the local emulator in-process (whose outbox stands in for the user's inbox).
// Set MUDBASE_BASE_URL and MUDBASE_PROJECT_ID to run against a real server instead (MUDBASE_NOVERIFY_PROJECT_ID
// optionally names a project without email verification; the verified sign-in needs the emulator's outbox;
// MUDBASE_API_KEY is the server key the documents step creates its collections with).
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Mudbase;
using Mudbase.Auth;
using Mudbase.Collections;
using Mudbase.Data;
using Mudbase.Emulator;
using Mudbase.Functions;
using Mudbase.Realtime;
using Mudbase.Storage;

var baseUrl = Environment.GetEnvironmentVariable("MUDBASE_BASE_URL");
var projectId = Environment.GetEnvironmentVariable("MUDBASE_PROJECT_ID");
var noVerifyProjectId = Environment.GetEnvironmentVariable("MUDBASE_NOVERIFY_PROJECT_ID");
var apiKey = Environment.GetEnvironmentVariable("MUDBASE_API_KEY");

await using var emulator = string.IsNullOrWhiteSpace(baseUrl) ? await MudbaseEmulator.StartAsync() : null;
if (emulator is not null)
{
    baseUrl = emulator.BaseUrl.ToString();
    projectId = emulator.DefaultProjectId;
    noVerifyProjectId = emulator.NoVerificationProjectId;
    apiKey = emulator.ApiKey;
    Console.WriteLine($"Started the local Mudbase emulator at {baseUrl}");
}
else if (string.IsNullOrWhiteSpace(projectId))
{
    Console.Error.WriteLine("MUDBASE_BASE_URL is set, so MUDBASE_PROJECT_ID must be set too.");
    return 1;
}

using var client = new MudbaseClient(new MudbaseClientOptions { BaseUrl = new Uri(baseUrl!), ProjectId = projectId });
client.Auth.SessionChanged += (_, e) => Console.WriteLine($"   [session {e.Reason}: {e.Session?.User.Email ?? "signed out"}]");
const string password = "Str0ng_Sample_Pass!w0rd";

try
{
    Section("1. An anonymous (guest) session");
    var guest = await client.Auth.CreateAnonymousAsync(new CreateAnonymousRequest { DeviceId = "sample-device" });
    Console.WriteLine($"   Signed in as {guest.User.FirstName} {guest.User.LastName} ({guest.User.Email}), role {guest.User.Role}");
    Console.WriteLine($"   The access token is valid until {guest.ExpiresAt:u} ({guest.ExpiresIn} s)");

    Section("2. The guest keeps their data by becoming an account");
    var converted = await client.Auth.ConvertAnonymousAsync(new ConvertAnonymousRequest { Email = NewEmail("guest"), Password = password });
    Console.WriteLine($"   Now {converted.User.Email}; same user id: {converted.User.Id == guest.User.Id}");

    Section("3. Registering on a project that requires email verification");
    var email = NewEmail("ada");
    var registration = await client.Auth.RegisterAsync(new RegisterRequest { Email = email, Password = password, FirstName = "Ada", LastName = "Lovelace" });
    Console.WriteLine(registration.RequireVerification
        ? $"   \"{registration.Message}\": {email} must be verified before signing in (no tokens yet)."
        : $"   Registered and signed in as {registration.User?.Email}.");

    if (noVerifyProjectId is not null)
    {
        Section("4. Registering on a project without email verification");
        var instant = await client.Auth.RegisterAsync(new RegisterRequest
        {
            Email = NewEmail("grace"),
            Password = password,
            FirstName = "Grace",
            LastName = "Hopper",
            ProjectId = noVerifyProjectId,
        });
        Console.WriteLine($"   Signed in at once as {instant.Session?.User.Email} (user {instant.User?.Id})");
    }

    Section("5. Registering the same email again");
    try
    {
        await client.Auth.RegisterAsync(new RegisterRequest { Email = email, Password = password, FirstName = "Ada", LastName = "Lovelace" });
        Console.WriteLine("   The server accepted the duplicate (unexpected).");
    }
    catch (MudbaseConflictException ex)
    {
        Console.WriteLine($"   Caught {nameof(MudbaseConflictException)}: {ex.Message}");
    }

    Section("6. Signing in before and after verifying the email");
    try
    {
        await client.Auth.LoginAsync(new LoginRequest { Email = email, Password = password });
    }
    catch (MudbaseForbiddenException ex) when (ex.IsEmailVerificationRequired)
    {
        Console.WriteLine($"   Not yet: {ex.Message}");
    }

    if (emulator is null)
    {
        Console.WriteLine("   (Against a real server the verification link arrives by email; the rest of this step needs the emulator.)");
        return 0;
    }

    var verification = emulator.GetOutbox(email).Last(m => m.Kind == EmulatorOutboxKinds.VerifyEmail);
    Console.WriteLine($"   The emulator's outbox holds the verification email for {verification.To}");
    await client.Auth.VerifyEmailAsync(verification.Token!);
    var session = await client.Auth.LoginAsync(new LoginRequest { Email = email, Password = password });
    Console.WriteLine($"   Signed in as {session.User.FirstName} {session.User.LastName}");

    Section("7. Refreshing the session (normally automatic, shortly before the token expires)");
    var refreshed = await client.Auth.RefreshAsync();
    Console.WriteLine($"   New tokens until {refreshed.ExpiresAt:u}; the refresh token rotated: {refreshed.RefreshToken != session.RefreshToken}");

    Section("8. The server's view of the session");
    var info = await client.Auth.GetSessionAsync();
    Console.WriteLine($"   authenticated: {info.Authenticated}, user: {info.User?.Email}");

    if (apiKey is not null)
    {
        await DocumentsAsync(client, new Uri(baseUrl!), projectId!, apiKey);
        await FilesAsync(client, new Uri(baseUrl!), projectId!, apiKey);
        await RealtimeAsync(client, emulator, new Uri(baseUrl!), projectId!, apiKey);
    }

    if (emulator is not null)
    {
        Section("13. A function, run as an operation (the emulator runs a .NET delegate in its place)");
        var quoteId = emulator.CreateFunction("quote", (run, ct) =>
        {
            run.Log($"pricing {run.Payload?["items"]} items");
            return Task.FromResult<JsonNode?>(new JsonObject { ["total"] = 31.5, ["currency"] = "EUR" });
        }, new EmulatorFunctionOptions { Delay = TimeSpan.FromMilliseconds(300) }, projectId);
        var quote = await client.Functions.InvokeAsync(quoteId, new JsonObject { ["items"] = 3 });
        Console.WriteLine($"   {quote.Status} in {quote.Duration?.TotalMilliseconds:0} ms: {quote.Result}");
        Console.WriteLine($"   its log: {quote.Logs?.Stdout.Trim()} (run {quote.ExecutionId})");
    }

    Section("14. Signing out");
    await client.Auth.LogoutAsync();
    Console.WriteLine($"   Current session: {client.Auth.CurrentSession?.ToString() ?? "none"}");
    return 0;
}
catch (SampleCheckException ex)
{
    Console.Error.WriteLine($"A check failed: {ex.Message}");
    return 1;
}
catch (MudbaseRateLimitException ex)
{
    Console.Error.WriteLine($"Rate limited: try again in {ex.RetryAfter?.TotalSeconds ?? 0:0} s. ({ex.Message})");
    return 2;
}
catch (MudbaseException ex)
{
    Console.Error.WriteLine($"Mudbase said no: {ex.Message}");
    return 2;
}

// Documents: a server app (the API key) defines the collections; the signed-in user works in them.
static async Task DocumentsAsync(MudbaseClient client, Uri baseUrl, string projectId, string apiKey)
{
    Section("9. Documents: the server app creates a collection (schema writes need the API key)");
    using var server = new MudbaseClient(new MudbaseClientOptions { BaseUrl = baseUrl, ProjectId = projectId, ApiKey = apiKey });
    var suffix = Guid.NewGuid().ToString("N")[..6];
    var everything = new[] { "create", "read", "update", "delete" };
    var schema = await server.Collections.CreateAsync(new CreateCollectionRequest
    {
        Name = "todos_" + suffix,
        Fields = [new SchemaField("title", SchemaFieldTypes.String, required: true), new SchemaField("priority", SchemaFieldTypes.Number), new SchemaField("done", SchemaFieldTypes.Boolean)],
        // Each user sees only their own to-dos: the server fills userId on create and filters every call by it.
        Permissions = [new CollectionPermission("authenticated", everything, condition: new JsonObject { ["userId"] = "$userId" })],
    });
    var notices = await server.Collections.CreateAsync(new CreateCollectionRequest
    {
        Name = "notices_" + suffix,
        Fields = [new SchemaField("title", SchemaFieldTypes.String, required: true)],
        Permissions = [new CollectionPermission("authenticated", ["read"])],
    });
    Console.WriteLine($"   Created {schema.Name} ({schema.Fields.Count} fields) and {notices.Name} (read-only for users)");

    try
    {
        Section("10. Documents as the user: create, query, page, update, delete");
        var todos = client.Data.Collection(schema.Id, SampleJson.Default.Todo);
        foreach (var (title, priority) in new[] { ("Write the docs", 3), ("Fix the build", 5), ("Water the plants", 1), ("Plan the release", 4), ("Reply to mail", 2) })
        {
            await todos.CreateAsync(new Todo { Title = title, Priority = priority });
        }

        // A typed filter: checked by the compiler, read (never compiled) into {"priority":{"$gte":3},"done":false}.
        var minimum = 3;
        var urgent = todos.Where(t => t.Priority >= minimum && !t.Done).OrderByDescending("priority");
        await foreach (var todo in urgent.ToAsyncEnumerable())
        {
            Console.WriteLine($"   urgent: {todo.Title} (priority {todo.Priority})");
        }

        var page = await todos.OrderBy("title").PageSize(2).GetPageAsync(2);
        Console.WriteLine($"   page {page.Page} of {page.TotalPages} ({page.Total} in all): {string.Join(", ", page.Items.Select(t => t.Title))}");

        var first = (await urgent.FirstOrDefaultAsync())!;
        var done = await todos.UpdateAsync(first.Id!, new JsonObject { ["done"] = true });
        Console.WriteLine($"   '{done.Title}' is done; urgent left: {await urgent.CountAsync()}");
        await todos.DeleteAsync(done.Id!);
        Console.WriteLine($"   deleted it; {await todos.CountAsync()} to-dos left");

        try
        {
            await client.Data.Collection(notices.Id).CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "Not mine to write" }));
        }
        catch (MudbaseForbiddenException ex)
        {
            Console.WriteLine($"   Caught {nameof(MudbaseForbiddenException)}: needs '{ex.RequiredAction}' on {ex.RequiredCollection}: {ex.Message}");
        }
    }
    finally
    {
        await server.Collections.DeleteAsync(schema.Id);
        await server.Collections.DeleteAsync(notices.Id);
    }
}

// Files: the server app uploads (uploads need the API key), the user lists and downloads them.
static async Task FilesAsync(MudbaseClient client, Uri baseUrl, string projectId, string apiKey)
{
    Section("11. Files: the server app uploads a generated file, the user reads it back through a signed URL");
    using var server = new MudbaseClient(new MudbaseClientOptions { BaseUrl = baseUrl, ProjectId = projectId, ApiKey = apiKey });
    var bucket = await server.Storage.CreateBucketAsync(new CreateBucketRequest { Name = "reports_" + Guid.NewGuid().ToString("N")[..6] });
    try
    {
        var bytes = RandomNumberGenerator.GetBytes(2 * 1024 * 1024);
        var lastTenth = -1L;
        var progress = new Progress<TransferProgress>(p =>
        {
            // Reported as bytes leave, at most every 64 KB; printed every tenth here.
            var tenth = p.TotalBytes is > 0 ? p.BytesTransferred * 10 / p.TotalBytes.Value : 0;
            if (tenth != Interlocked.Exchange(ref lastTenth, tenth))
            {
                Console.WriteLine($"   uploaded {p.BytesTransferred:N0} of {p.TotalBytes:N0} bytes");
            }
        });
        var stored = await server.Storage.Bucket(bucket.Id).UploadAsync(new MemoryStream(bytes), "report.bin", new UploadOptions { Progress = progress });
        Console.WriteLine($"   stored {stored.OriginalName} ({stored.Size:N0} bytes, {stored.ContentType}) as {stored.Id}");

        var files = client.Storage.Bucket(bucket.Id);
        await foreach (var file in files.ListAllAsync())
        {
            Console.WriteLine($"   the user sees: {file.OriginalName}, {file.Size:N0} bytes");
        }

        var signed = await files.CreateSignedUrlAsync(stored.Id, TimeSpan.FromMinutes(5));
        using var http = new HttpClient();
        var downloaded = await http.GetByteArrayAsync(signed.Url);
        Console.WriteLine($"   downloaded through a signed URL valid until {signed.ExpiresAt:u}: same SHA-256: {SHA256.HashData(downloaded).AsSpan().SequenceEqual(SHA256.HashData(bytes))}");
        await server.Storage.Bucket(bucket.Id).DeleteAsync(stored.Id);
    }
    finally
    {
        await server.Storage.DeleteBucketAsync(bucket.Id);
    }
}

// Realtime: the user watches a shared to-do list while a teammate, another client signed in as another user, writes to
// it; then the emulator cuts the connection and keeps it cut while the teammate writes on, and the watch catches up.
static async Task RealtimeAsync(MudbaseClient client, MudbaseEmulator emulator, Uri baseUrl, string projectId, string apiKey)
{
    Section("12. Realtime: watching the to-dos while another client writes them, then a resync after a lost connection");
    using var server = new MudbaseClient(new MudbaseClientOptions { BaseUrl = baseUrl, ProjectId = projectId, ApiKey = apiKey });
    var schema = await server.Collections.CreateAsync(new CreateCollectionRequest
    {
        Name = "todos_" + Guid.NewGuid().ToString("N")[..6],
        Fields = [new SchemaField("title", SchemaFieldTypes.String, required: true), new SchemaField("priority", SchemaFieldTypes.Number), new SchemaField("done", SchemaFieldTypes.Boolean)],
        // A shared list: every signed-in user reads and writes every to-do, so each hears of the others' writes.
        Permissions = [new CollectionPermission("authenticated", ["create", "read", "update", "delete"])],
    });
    using var teammate = new MudbaseClient(new MudbaseClientOptions { BaseUrl = baseUrl, ProjectId = projectId });
    EventHandler<RealtimeStateChangedEventArgs> onState = (_, e) => Console.WriteLine($"   [realtime {e.Current}]");
    client.Realtime.StateChanged += onState;
    using var stop = new CancellationTokenSource();
    Task? watching = null;
    try
    {
        await teammate.Auth.CreateAnonymousAsync();
        var theirs = teammate.Data.Collection(schema.Id, SampleJson.Default.Todo);
        var milk = await theirs.CreateAsync(new Todo { Title = "Buy milk", Priority = 1 });

        // The watcher applies every event to its board, as an app's view would; `seen` only lets this sample wait for them.
        var board = new ConcurrentDictionary<string, Todo>();
        var seen = new ConcurrentQueue<CollectionEvent<Todo>>();
        var todos = client.Data.Collection(schema.Id, SampleJson.Default.Todo);
        watching = Task.Run(async () =>
        {
            try
            {
                // IncludeExisting: the watch starts with a Created for each to-do already there, so the board is whole.
                await foreach (var e in todos.WatchAsync(new WatchOptions { IncludeExisting = true }, stop.Token))
                {
                    switch (e)
                    {
                        case CollectionEvent<Todo>.Created created:
                            board[created.DocumentId] = created.Document;
                            Console.WriteLine($"   created: {created.Document.Title} (priority {created.Document.Priority})");
                            break;
                        case CollectionEvent<Todo>.Updated updated:
                            board[updated.DocumentId] = updated.Document;
                            Console.WriteLine($"   updated: {updated.Document.Title} (priority {updated.Document.Priority}, done: {updated.Document.Done})");
                            break;
                        case CollectionEvent<Todo>.Deleted deleted:
                            board.TryRemove(deleted.DocumentId, out var gone);
                            Console.WriteLine($"   deleted: {gone?.Title}");
                            break;
                        case CollectionEvent<Todo>.Disconnected disconnected:
                            Console.WriteLine($"   disconnected ({disconnected.Reason?.GetType().Name}): the watch goes on, and catches up once the connection is back");
                            break;
                        case CollectionEvent<Todo>.Resynced resynced:
                            // The server does not replay what a cut-off client missed: the SDK fetched the list and compared.
                            Console.WriteLine($"   resynced: {resynced.Missed.Count} change(s) made while the connection was down");
                            foreach (var change in resynced.Missed)
                            {
                                if (change.Kind == ChangeKind.Removed)
                                {
                                    board.TryRemove(change.DocumentId, out _);
                                }
                                else
                                {
                                    board[change.DocumentId] = change.Document;
                                }

                                Console.WriteLine($"     {change.Kind}: {change.Document.Title}");
                            }

                            break;
                        case CollectionEvent<Todo>.Overflowed overflowed:
                            Console.WriteLine($"   {overflowed.Coalesced} event(s) merged: this consumer fell behind");
                            break;
                    }

                    seen.Enqueue(e);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The sample stopped watching.
            }
        });

        // The first event is the to-do that was already there: from then on the watch is live.
        Check(await EventuallyAsync(() => seen.Count == 1), "the watch starts with the to-do already on the list");
        var bike = await theirs.CreateAsync(new Todo { Title = "Fix the bike", Priority = 3 });
        var plants = await theirs.CreateAsync(new Todo { Title = "Water the plants", Priority = 2 });
        await theirs.UpdateAsync(milk.Id!, new JsonObject { ["done"] = true });
        await theirs.DeleteAsync(bike.Id!);
        Check(await EventuallyAsync(() => seen.Count == 5)
            && seen.Select(e => e.GetType().Name).SequenceEqual(["Created", "Created", "Created", "Updated", "Deleted"]),
            "the teammate's two creates, update and delete arrive in order");

        // The link drops (as a lost network would) and the emulator refuses new connections while the teammate writes on.
        using (emulator.RefuseRealtimeConnections())
        {
            emulator.DropRealtimeConnections();
            Check(await EventuallyAsync(() => seen.Any(e => e is CollectionEvent<Todo>.Disconnected)), "the watch reports the lost connection");
            await theirs.CreateAsync(new Todo { Title = "Call the plumber", Priority = 5 });
            await theirs.UpdateAsync(plants.Id!, new JsonObject { ["priority"] = 4 });
            await theirs.DeleteAsync(milk.Id!);
        }

        Check(await EventuallyAsync(() => seen.Any(e => e is CollectionEvent<Todo>.Resynced)), "the connection comes back by itself");
        var missed = seen.OfType<CollectionEvent<Todo>.Resynced>().Single().Missed;
        Check(missed.Count(c => c.Kind == ChangeKind.Added) == 1 && missed.Count(c => c.Kind == ChangeKind.Modified) == 1 && missed.Count(c => c.Kind == ChangeKind.Removed) == 1,
            "one resync holds the three writes missed: one added, one modified, one removed");

        await theirs.CreateAsync(new Todo { Title = "Book the flights", Priority = 3 });
        Check(await EventuallyAsync(() => board.Values.Any(t => t.Title == "Book the flights")), "the watch goes on after the resync");
        var onServer = new List<string>();
        await foreach (var todo in todos.ToAsyncEnumerable())
        {
            onServer.Add($"{todo.Title}/{todo.Priority}/{todo.Done}");
        }

        var onBoard = board.Values.Select(t => $"{t.Title}/{t.Priority}/{t.Done}").ToList();
        Check(onBoard.Order().SequenceEqual(onServer.Order()), $"the watcher's board is the server's list: {string.Join(", ", board.Values.Select(t => t.Title).Order())}");

        stop.Cancel();
        await watching;
        Check(await EventuallyAsync(() => client.Realtime.State == RealtimeState.Disconnected), "leaving the last watch closes the connection");
    }
    finally
    {
        await stop.CancelAsync();
        if (watching is not null)
        {
            await watching;
        }

        client.Realtime.StateChanged -= onState;
        await server.Collections.DeleteAsync(schema.Id);
    }
}

// Waits up to 20 s for what a realtime step must lead to; false when it never happens.
static async Task<bool> EventuallyAsync(Func<bool> condition)
{
    var waited = Stopwatch.StartNew();
    while (!condition())
    {
        if (waited.Elapsed > TimeSpan.FromSeconds(20))
        {
            return false;
        }

        await Task.Delay(10);
    }

    return true;
}

// One of the sample's checks: prints "ok:" and goes on, or fails the run.
static void Check(bool ok, string what)
{
    Console.WriteLine($"   {(ok ? "ok" : "FAILED")}: {what}");
    if (!ok)
    {
        throw new SampleCheckException(what);
    }
}

static string NewEmail(string name) => $"{name}.{Guid.NewGuid():N}"[..(name.Length + 13)] + "@northwind.dev";

static void Section(string title)
{
    Console.WriteLine();
    Console.WriteLine(title);
}

/// <summary>A to-do as the app declares it: its own record, its own source-generated JSON context (no reflection).</summary>
internal sealed record Todo
{
    [JsonPropertyName("_id")]
    public string? Id { get; init; }

    public required string Title { get; init; }

    public int Priority { get; init; }

    public bool Done { get; init; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Todo))]
internal sealed partial class SampleJson : JsonSerializerContext;

/// <summary>One of the sample's checks failed: what it shows did not happen as it should.</summary>
internal sealed class SampleCheckException(string message) : Exception(message);
