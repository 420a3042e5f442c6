// The SDK under Native AOT: the anonymous flow, a call made as the user, and registration (with its error mapping),
// against the server named by MUDBASE_BASE_URL and MUDBASE_PROJECT_ID (for example an emulator:
// `dotnet run --project src/Mudbase.Emulator -- --port 18899 --no-rate-limits`, project 685ad30be129932fbb7a1047 with
// email verification, 685ad30be129932fbb7a1048 without). Publish: dotnet publish samples/Mudbase.Samples.Aot -c Release.
// MUDBASE_API_KEY (optional; the emulator's is ak_emulator_<project id>) adds documents: a collection created with the
// key, documents of the app's own record written and read with a typed, compiler-checked filter, and a realtime watch:
// the signed-in user watches a collection while the server app writes notes (another record, another context) to it.
// Exit code 0 when every step behaved as the project's settings say it should, 1 otherwise, 2 on a usage error.
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Mudbase;
using Mudbase.Auth;
using Mudbase.Collections;
using Mudbase.Data;
using Mudbase.Realtime;

var baseUrl = Environment.GetEnvironmentVariable("MUDBASE_BASE_URL");
var projectId = Environment.GetEnvironmentVariable("MUDBASE_PROJECT_ID");
var apiKey = Environment.GetEnvironmentVariable("MUDBASE_API_KEY");
if (string.IsNullOrWhiteSpace(baseUrl) || string.IsNullOrWhiteSpace(projectId) || !Uri.TryCreate(baseUrl, UriKind.Absolute, out var url))
{
    Console.Error.WriteLine("Set MUDBASE_BASE_URL (for example http://127.0.0.1:18899/) and MUDBASE_PROJECT_ID.");
    return 2;
}

Console.WriteLine($"Mudbase.Client, {(RuntimeFeature.IsDynamicCodeSupported ? "JIT" : "Native AOT")}, server {url}, project {projectId}");
var failures = 0;

using var client = new MudbaseClient(new MudbaseClientOptions { BaseUrl = url, ProjectId = projectId });

// 1. A guest session, then a call made as the guest (Authorization: Bearer is added by the SDK).
try
{
    var guest = await client.Auth.CreateAnonymousAsync();
    Console.WriteLine($"[ok] anonymous: user {guest.User.Id} (anonymous: {guest.User.IsAnonymous}), token valid {guest.ExpiresIn} s");
    var me = await client.Auth.GetSessionAsync();
    Check(me.Authenticated && me.User?.Id == guest.User.Id, $"session as the guest: authenticated {me.Authenticated}, user {me.User?.Id}");
}
catch (MudbaseException ex)
{
    Fail($"anonymous flow: {ex.GetType().Name}: {ex.Message}");
}

// 2. Registration: tokens at once when the project does not require email verification, none when it does.
var email = $"aot-{Guid.NewGuid():N}@northwind.dev";
var request = new RegisterRequest { Email = email, Password = "Str0ng_Pass!w0rd", FirstName = "Ada", LastName = "Lovelace" };
try
{
    var result = await client.Auth.RegisterAsync(request);
    if (result.RequireVerification)
    {
        Check(result.Session is null, $"register {email}: verification required, no tokens (user {result.User?.Id}): \"{result.Message}\"");
    }
    else
    {
        Check(result.Session is not null && client.Auth.CurrentSession == result.Session,
            $"register {email}: signed in at once as {result.Session?.User.Id}, token valid {result.ExpiresIn} s");
    }
}
catch (MudbaseException ex)
{
    Fail($"register: {ex.GetType().Name}: {ex.Message}");
}

// 3. The same email again: the server's error becomes a typed exception (error parsing works without reflection).
try
{
    await client.Auth.RegisterAsync(request);
    Fail("register twice: no error");
}
catch (MudbaseConflictException ex)
{
    Console.WriteLine($"[ok] register twice: {ex.GetType().Name}, HTTP {(int?)ex.StatusCode}: {ex.Message}");
}
catch (MudbaseException ex)
{
    Fail($"register twice: expected MudbaseConflictException, got {ex.GetType().Name}: {ex.Message}");
}

// 4. An argument error is caught before anything is sent.
try
{
    await client.Auth.RegisterAsync(new RegisterRequest { Email = " ", Password = "x", FirstName = "A", LastName = "B" });
    Fail("blank email: no error");
}
catch (ArgumentException ex)
{
    Console.WriteLine($"[ok] blank email refused before sending: {ex.ParamName}");
}

// 5. Documents of the app's own type under Native AOT: the JSON metadata is the app's source-generated context, and the
// typed filter is read from the expression tree (never compiled), so neither needs reflection or dynamic code.
if (!string.IsNullOrEmpty(apiKey))
{
    using var server = new MudbaseClient(new MudbaseClientOptions { BaseUrl = url, ProjectId = projectId, ApiKey = apiKey });
    string? collectionId = null;
    try
    {
        var schema = await server.Collections.CreateAsync(new CreateCollectionRequest
        {
            Name = "aot_" + Guid.NewGuid().ToString("N")[..8],
            Fields = [new SchemaField("title", SchemaFieldTypes.String, required: true), new SchemaField("priority", SchemaFieldTypes.Number)],
            Permissions = [new CollectionPermission("authenticated", ["create", "read", "update", "delete"])],
        });
        collectionId = schema.Id;
        var items = server.Data.Collection(schema.Id, AotJson.Default.Item);
        foreach (var priority in new[] { 1, 4, 2, 5 })
        {
            await items.CreateAsync(new Item { Title = $"item {priority}", Priority = priority, Place = new Place { City = priority > 3 ? "Oslo" : "Rome" } });
        }

        var floor = 2;
        var found = new List<int>();
        await foreach (var item in items.Where(i => i.Priority > floor && i.Place!.City == "Oslo").OrderBy("priority").ToAsyncEnumerable())
        {
            found.Add(item.Priority);
        }

        Check(found.SequenceEqual([4, 5]), $"typed filter (priority > {floor} and place.city == Oslo): priorities {string.Join(", ", found)}");
        var untyped = await server.Data.Collection(schema.Id).Where(Filter.Lt("priority", 2)).FirstOrDefaultAsync();
        Check(untyped is not null && (int?)untyped["priority"] == 1, $"untyped document: {untyped}");
        var updated = await items.UpdateAsync(untyped!.Id!, new JsonObject { ["priority"] = 9 });
        Check(updated.Priority == 9 && await items.CountAsync() == 4, $"update through the typed handle: priority {updated.Priority}");
    }
    catch (MudbaseException ex)
    {
        Fail($"documents: {ex.GetType().Name}: {ex.Message}");
    }
    finally
    {
        if (collectionId is not null)
        {
            await server.Collections.DeleteAsync(collectionId);
        }
    }
}

// 6. A realtime watch under Native AOT: the socket's events are read into the app's record through its own context.
// The guest (or the new user) from above watches; the server app writes.
if (!string.IsNullOrEmpty(apiKey))
{
    using var server = new MudbaseClient(new MudbaseClientOptions { BaseUrl = url, ProjectId = projectId, ApiKey = apiKey });
    string? collectionId = null;
    try
    {
        var schema = await server.Collections.CreateAsync(new CreateCollectionRequest
        {
            Name = "aot_live_" + Guid.NewGuid().ToString("N")[..8],
            Fields = [new SchemaField("text", SchemaFieldTypes.String, required: true), new SchemaField("order", SchemaFieldTypes.Number)],
            Permissions = [new CollectionPermission("authenticated", ["read"])],
        });
        collectionId = schema.Id;
        var notes = server.Data.Collection(schema.Id, LiveJson.Default.Note);
        var first = await notes.CreateAsync(new Note { Text = "already there", Order = 0 });

        // IncludeExisting: the note already there arrives first (fetched), and once it has, the watch is live: what the
        // server app writes from then on arrives over the socket.
        var arrived = new List<CollectionEvent<Note>>();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var e in client.Data.Collection(schema.Id, LiveJson.Default.Note).WatchAsync(new WatchOptions { IncludeExisting = true }, patience.Token))
        {
            arrived.Add(e);
            if (arrived.Count == 1)
            {
                for (var order = 1; order <= 3; order++)
                {
                    await notes.CreateAsync(new Note { Text = $"note {order}", Order = order });
                }

                await notes.UpdateAsync(first.Id!, new JsonObject { ["text"] = "edited" });
            }
            else if (arrived.Count == 5)
            {
                break; // leaving the loop ends the watch
            }
        }

        var created = arrived.OfType<CollectionEvent<Note>.Created>().Select(c => $"{c.Document.Text}#{c.Document.Order}").ToList();
        Check(created.SequenceEqual(["already there#0", "note 1#1", "note 2#2", "note 3#3"]), $"watch: created {string.Join(", ", created)}");
        Check(arrived.LastOrDefault() is CollectionEvent<Note>.Updated { Document.Text: "edited" } updated && updated.DocumentId == first.Id,
            $"watch: then {arrived.LastOrDefault()}: \"{(arrived.LastOrDefault() as CollectionEvent<Note>.Updated)?.Document.Text}\"");
        var waited = Stopwatch.StartNew();
        while (client.Realtime.State != RealtimeState.Disconnected && waited.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(10);
        }

        Check(client.Realtime.State == RealtimeState.Disconnected, $"leaving the only watch closes the connection: {client.Realtime.State}");
    }
    catch (OperationCanceledException)
    {
        Fail("watch: the events did not all arrive within 30 s");
    }
    catch (MudbaseException ex)
    {
        Fail($"watch: {ex.GetType().Name}: {ex.Message}");
    }
    finally
    {
        if (collectionId is not null)
        {
            await server.Collections.DeleteAsync(collectionId);
        }
    }
}

Console.WriteLine(failures == 0 ? "All flows completed." : $"{failures} step(s) failed.");
return failures == 0 ? 0 : 1;

void Check(bool condition, string what)
{
    if (condition)
    {
        Console.WriteLine($"[ok] {what}");
    }
    else
    {
        Fail(what);
    }
}

void Fail(string what)
{
    failures++;
    Console.WriteLine($"[FAILED] {what}");
}

/// <summary>The app's own document type.</summary>
internal sealed class Item
{
    [JsonPropertyName("_id")]
    public string? Id { get; set; }

    public required string Title { get; set; }

    public int Priority { get; set; }

    public Place? Place { get; set; }
}

/// <summary>A nested object: a typed filter reaches into it with a dotted path.</summary>
internal sealed class Place
{
    public string? City { get; set; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Item))]
internal sealed partial class AotJson : JsonSerializerContext;

/// <summary>The document type of the realtime step: a record of the app's own, with its own context.</summary>
internal sealed record Note
{
    [JsonPropertyName("_id")]
    public string? Id { get; init; }

    public required string Text { get; init; }

    public int Order { get; init; }
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(Note))]
internal sealed partial class LiveJson : JsonSerializerContext;
