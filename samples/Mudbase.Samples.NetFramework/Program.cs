// The Mudbase .NET SDK on .NET Framework 4.6.2, against a running server or emulator: a guest session, registrations
// with and without email verification, a call made as the user, a refresh, a duplicate caught as a typed exception, a session
// kept in a file and resumed by a new client, a server that is not there and one that never answers, and a realtime watch
// (a guest sees what the server app writes). Exits 1 when anything is not as expected.
//
//   MUDBASE_BASE_URL     the server, for example http://127.0.0.1:18866 (the emulator: dotnet run --project src/Mudbase.Emulator)
//   MUDBASE_PROJECT_ID   a project that requires email verification (default: the emulator's 685ad30be129932fbb7a1047)
//   MUDBASE_NOVERIFY_PROJECT_ID  a project that does not (default: the emulator's 685ad30be129932fbb7a1048)
//   MUDBASE_SESSION_FILE where the session file goes (default: a new temporary folder)
//   MUDBASE_API_KEY      the key the realtime step creates its collection with (default: the emulator's for MUDBASE_NOVERIFY_PROJECT_ID)
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text.Json.Nodes;
using Mudbase;
using Mudbase.Auth;
using Mudbase.Collections;
using Mudbase.Data;
using Mudbase.Realtime;

var baseUrl = Environment.GetEnvironmentVariable("MUDBASE_BASE_URL");
if (string.IsNullOrWhiteSpace(baseUrl))
{
    Console.Error.WriteLine("Set MUDBASE_BASE_URL to the server, for example http://127.0.0.1:18866.");
    return 2;
}

var projectId = Environment.GetEnvironmentVariable("MUDBASE_PROJECT_ID") ?? "685ad30be129932fbb7a1047";
var noVerifyProjectId = Environment.GetEnvironmentVariable("MUDBASE_NOVERIFY_PROJECT_ID") ?? "685ad30be129932fbb7a1048";
var apiKey = Environment.GetEnvironmentVariable("MUDBASE_API_KEY") ?? "ak_emulator_" + noVerifyProjectId;
var sessionFolder = Path.Combine(Path.GetTempPath(), "mudbase-net462-" + Guid.NewGuid().ToString("N"));
var sessionFile = Environment.GetEnvironmentVariable("MUDBASE_SESSION_FILE") ?? Path.Combine(sessionFolder, "session.json");
const string password = "Str0ng_Sample_Pass!w0rd";
var failures = 0;

var mono = Type.GetType("Mono.Runtime")?.GetMethod("GetDisplayName", BindingFlags.NonPublic | BindingFlags.Static)?.Invoke(null, null);
Console.WriteLine($"Runtime: {(mono is null ? ".NET Framework" : "Mono " + mono)}, CLR {Environment.Version}, {Environment.OSVersion}");
Console.WriteLine($"Server:  {baseUrl}");
var clock = Stopwatch.StartNew();

try
{
    var options = new MudbaseClientOptions { BaseUrl = new Uri(baseUrl), ProjectId = projectId, SessionStore = new FileSessionStore(sessionFile) };
    using (var client = new MudbaseClient(options))
    {
        client.Auth.SessionChanged += (_, e) => Console.WriteLine($"   [session {e.Reason}: {e.Session?.User.Email ?? "signed out"}]");

        Section($"1. CreateAnonymousAsync (project {projectId})");
        var guest = await client.Auth.CreateAnonymousAsync(new CreateAnonymousRequest { DeviceId = "net462-sample" });
        Console.WriteLine($"   {guest}");
        Console.WriteLine($"   user {guest.User.Id}, anonymous: {guest.User.IsAnonymous}, expires in {guest.ExpiresIn} s");
        Check(guest.User.IsAnonymous == true && guest.Token.Length > 0 && guest.ExpiresAt > DateTimeOffset.UtcNow, "an anonymous session with a token");

        Section($"2. RegisterAsync on the project that requires email verification ({projectId})");
        var email = NewEmail("ada");
        var pending = await client.Auth.RegisterAsync(new RegisterRequest { Email = email, Password = password, FirstName = "Ada", LastName = "Lovelace" });
        Console.WriteLine($"   {pending}");
        Console.WriteLine($"   \"{pending.Message}\"");
        Check(pending.RequireVerification && pending.Session is null, "verification required, no tokens");

        Section($"3. RegisterAsync on the project without email verification ({noVerifyProjectId})");
        var instant = await client.Auth.RegisterAsync(new RegisterRequest
        {
            Email = NewEmail("grace"),
            Password = password,
            FirstName = "Grace",
            LastName = "Hopper",
            ProjectId = noVerifyProjectId,
        });
        Console.WriteLine($"   {instant}");
        Console.WriteLine($"   signed in as {instant.Session?.User.Email} (user {instant.User?.Id})");
        Check(!instant.RequireVerification && instant.Session is not null && ReferenceEquals(client.Auth.CurrentSession, instant.Session), "signed in at once");

        Section("4. GetSessionAsync, sent with the new user's token, then RefreshAsync");
        var info = await client.Auth.GetSessionAsync(noVerifyProjectId);
        Console.WriteLine($"   {info}");
        Check(info.Authenticated && info.User?.Id == instant.User?.Id, "the server knows the user by the token");
        var refreshed = await client.Auth.RefreshAsync();
        Check(refreshed.User.Id == instant.User?.Id && refreshed.RefreshToken != instant.Session!.RefreshToken, "RefreshAsync rotates the refresh token");

        Section("5. RegisterAsync again with the same email");
        try
        {
            await client.Auth.RegisterAsync(new RegisterRequest { Email = email, Password = password, FirstName = "Ada", LastName = "Lovelace" });
            Check(false, "a duplicate is refused");
        }
        catch (MudbaseConflictException ex)
        {
            Console.WriteLine($"   {ex.GetType().Name}: {ex.Message}");
            Check(ex.StatusCode == HttpStatusCode.Conflict, "a duplicate is a MudbaseConflictException");
        }
    }

    Section("6. A new client over the same session file resumes the session");
    Console.WriteLine($"   {sessionFile}");
    using (var resumed = new MudbaseClient(new MudbaseClientOptions { BaseUrl = new Uri(baseUrl), ProjectId = noVerifyProjectId, SessionStore = new FileSessionStore(sessionFile) }))
    {
        var restored = await resumed.Auth.RestoreSessionAsync();
        Console.WriteLine($"   {restored}");
        var info = await resumed.Auth.GetSessionAsync();
        Check(restored is not null && info.Authenticated && info.User?.Id == restored.User.Id, "signed in from the file");
        if (UnixModeOf(sessionFile) is { } mode)
        {
            Check(mode == "600", $"the file is readable by its owner only (mode {mode})");
        }

        await resumed.Auth.LogoutAsync();
        Check(resumed.Auth.CurrentSession is null && !File.Exists(sessionFile), "signed out, file removed");
    }

    Section("7. A server that is not there");
    var closedPort = ClosedLoopbackPort();
    using (var nowhere = new MudbaseClient(new MudbaseClientOptions
    {
        BaseUrl = new Uri($"http://127.0.0.1:{closedPort}"),
        ProjectId = projectId,
        Retry = new MudbaseRetryOptions { MaxRetries = 1, BaseDelay = TimeSpan.FromMilliseconds(50) },
    }))
    {
        try
        {
            await nowhere.Auth.CreateAnonymousAsync();
            Check(false, "no answer is an error");
        }
        catch (MudbaseTransportException ex)
        {
            Console.WriteLine($"   {ex.GetType().Name}: {ex.Message}");
            Console.WriteLine($"   caused by {CausesOf(ex)}");
            // "not re-sent" would mean the refused connection was not recognised as "nothing was sent".
            Check(!ex.IsTimeout && !ex.Message.Contains("not re-sent"), "a refused connection is a transport failure, and safe to re-send");
        }
    }

    Section("8. A server that accepts the connection and never answers (Timeout = 1 s, no retries)");
    var silent = new TcpListener(IPAddress.Loopback, 0);
    silent.Start();
    try
    {
        using var stalled = new MudbaseClient(new MudbaseClientOptions
        {
            BaseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}"),
            ProjectId = projectId,
            Timeout = TimeSpan.FromSeconds(1),
            Retry = new MudbaseRetryOptions { MaxRetries = 0 },
        });
        var started = Stopwatch.StartNew();
        try
        {
            await stalled.Auth.CreateAnonymousAsync();
            Check(false, "no answer is an error");
        }
        catch (MudbaseTransportException ex)
        {
            Console.WriteLine($"   {ex.GetType().Name} after {started.Elapsed.TotalSeconds:0.00} s: {ex.Message}");
            Check(ex.IsTimeout && started.Elapsed < TimeSpan.FromSeconds(5), "the attempt is abandoned at its timeout");
        }
    }
    finally
    {
        silent.Stop();
    }

    Section("9. A realtime watch over a WebSocket: a guest watches a collection while the server app writes to it");
    using (var server = new MudbaseClient(new MudbaseClientOptions { BaseUrl = new Uri(baseUrl), ProjectId = noVerifyProjectId, ApiKey = apiKey }))
    using (var watcher = new MudbaseClient(new MudbaseClientOptions { BaseUrl = new Uri(baseUrl), ProjectId = noVerifyProjectId }))
    {
        var schema = await server.Collections.CreateAsync(new CreateCollectionRequest
        {
            Name = "net462_live_" + Guid.NewGuid().ToString("N").Substring(0, 8),
            Fields = [new SchemaField("title", SchemaFieldTypes.String, required: true)],
            Permissions = [new CollectionPermission("authenticated", ["read"])],
        });
        try
        {
            await watcher.Auth.CreateAnonymousAsync();
            var written = server.Data.Collection(schema.Id);
            await written.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "already there" }));

            // IncludeExisting: the document already there arrives first (fetched); once it has, the watch is live and
            // what is written from then on arrives over the socket.
            var titles = new List<string?>();
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await foreach (var e in watcher.Data.Collection(schema.Id).WatchAsync(new WatchOptions { IncludeExisting = true }, patience.Token))
                {
                    Console.WriteLine($"   {e}: {(e as CollectionEvent<MudbaseDocument>.Created)?.Document["title"]}");
                    if (e is not CollectionEvent<MudbaseDocument>.Created created)
                    {
                        continue;
                    }

                    titles.Add((string?)created.Document["title"]);
                    if (titles.Count == 1)
                    {
                        await written.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "live 1" }));
                        await written.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "live 2" }));
                    }
                    else if (titles.Count == 3)
                    {
                        break; // leaving the loop ends the watch and closes the connection
                    }
                }
            }
            catch (OperationCanceledException)
            {
                Console.WriteLine("   no more events within 20 s");
            }

            Check(titles.SequenceEqual(["already there", "live 1", "live 2"]), "the document already there, then each one written while watching");
        }
        finally
        {
            await server.Collections.DeleteAsync(schema.Id);
        }
    }
}
catch (MudbaseException ex)
{
    Console.Error.WriteLine($"FAILED: {ex.GetType().Name}: {ex.Message}");
    return 1;
}
finally
{
    if (Directory.Exists(sessionFolder))
    {
        Directory.Delete(sessionFolder, recursive: true);
    }
}

Console.WriteLine();
Console.WriteLine(failures == 0 ? $"All checks passed in {clock.Elapsed.TotalSeconds:0.0} s." : $"{failures} check(s) failed.");
return failures == 0 ? 0 : 1;

void Check(bool ok, string what)
{
    Console.WriteLine($"   {(ok ? "ok" : "FAILED")}: {what}");
    if (!ok)
    {
        failures++;
    }
}

static string NewEmail(string name) => $"{name}.{Guid.NewGuid():N}".Substring(0, name.Length + 13) + "@northwind.dev";

static string CausesOf(Exception exception)
{
    var causes = new List<string>();
    for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
    {
        causes.Add(inner is WebException web ? $"WebException ({web.Status})" : inner is SocketException socket ? $"SocketException ({socket.SocketErrorCode})" : inner.GetType().Name);
    }

    return string.Join(" <- ", causes);
}

// The permission bits of a file on Linux (stat -c), or null elsewhere.
static string? UnixModeOf(string path)
{
    if (Environment.OSVersion.Platform != PlatformID.Unix || !File.Exists("/proc/self/stat"))
    {
        return null;
    }

    using var stat = Process.Start(new ProcessStartInfo("stat", $"-c %a \"{path}\"") { RedirectStandardOutput = true, UseShellExecute = false })!;
    var mode = stat.StandardOutput.ReadToEnd().Trim();
    stat.WaitForExit();
    return mode;
}

static int ClosedLoopbackPort()
{
    var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    var port = ((IPEndPoint)listener.LocalEndpoint).Port;
    listener.Stop();
    return port;
}

static void Section(string title)
{
    Console.WriteLine();
    Console.WriteLine(title);
}
