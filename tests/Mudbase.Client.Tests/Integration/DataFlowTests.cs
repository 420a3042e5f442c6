using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.Extensions.DependencyInjection;
using Mudbase.Data;
using Mudbase.Emulator;
using Mudbase.Tests.Emulator;

namespace Mudbase.Tests.Integration;

/// <summary>A to-do as an app declares it: its own record, its own source-generated context.</summary>
public sealed record TodoItem
{
    [JsonPropertyName("_id")]
    public string? Id { get; init; }

    public required string Title { get; init; }

    public int Priority { get; init; }

    public bool Done { get; init; }

    public string? Status { get; init; }

    public Place? Place { get; init; }

    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>Every field the record does not declare (settable: System.Text.Json fills extension data after construction).</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; set; }
}

/// <summary>A nested object, for dotted paths.</summary>
public sealed record Place(string City, int Floor);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TodoItem))]
public sealed partial class IntegrationJson : JsonSerializerContext;

/// <summary>Documents end to end: the public client (and DI) against the emulator's document store.</summary>
public sealed class DataFlowTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MudbaseEmulator Emulator => fixture.Emulator;

    /// <summary>A fresh collection that any signed-in user may use fully, and that the API key may always use.</summary>
    private string NewCollection(Action<EmulatorCollectionOptions>? configure = null)
    {
        var name = "todos_" + Guid.NewGuid().ToString("N")[..8];
        var options = new EmulatorCollectionOptions(name)
        {
            Fields = { new EmulatorCollectionField("title", "string") { Required = true } },
        };
        if (configure is null)
        {
            options.Permissions.Add(new EmulatorCollectionGrant("authenticated", "create", "read", "update", "delete"));
        }
        else
        {
            configure(options);
        }

        Emulator.CreateCollection(options);
        return name;
    }

    private MudbaseClient ServerClient() => new(new MudbaseClientOptions { BaseUrl = Emulator.BaseUrl, ProjectId = Emulator.DefaultProjectId, ApiKey = Emulator.ApiKey });

    private async Task<MudbaseClient> SignedInClientAsync()
    {
        var client = fixture.CreateClient();
        await client.Auth.CreateAnonymousAsync(cancellationToken: Ct);
        return client;
    }

    [Fact]
    public async Task A_typed_record_and_an_untyped_document_read_and_write_the_same_document()
    {
        using var client = await SignedInClientAsync();
        var name = NewCollection();
        var typed = client.Data.Collection(name, IntegrationJson.Default.TodoItem);
        var untyped = client.Data.Collection(name);

        var created = await typed.CreateAsync(new TodoItem { Title = "Write docs", Priority = 2, Place = new Place("Oslo", 3) }, Ct);
        Assert.Matches("^[0-9a-f]{24}$", created.Id);
        Assert.NotNull(created.CreatedAt);

        var document = await untyped.GetAsync(created.Id!, Ct);
        Assert.Equal(created.Id, document.Id);
        Assert.Equal("Write docs", (string?)document["title"]);
        Assert.Equal("Oslo", (string?)document["place"]!["city"]);

        var updated = await untyped.UpdateAsync(created.Id!, new JsonObject { ["done"] = true, ["place"] = null, ["labels"] = new JsonArray("a", "b") }, Ct);
        Assert.True((bool?)updated["done"]);
        Assert.False(updated.Fields.ContainsKey("place"));

        var again = await typed.GetAsync(created.Id!, Ct);
        Assert.True(again.Done);
        Assert.Null(again.Place);
        // A field the record does not declare is kept, not dropped.
        Assert.NotNull(again.Extra);
        Assert.Contains("labels", again.Extra.Keys);

        await typed.DeleteAsync(created.Id!, Ct);
        await Assert.ThrowsAsync<MudbaseNotFoundException>(() => typed.GetAsync(created.Id!, Ct));
    }

    [Fact]
    public async Task Unknown_fields_of_an_untyped_document_survive_a_get_update_get_round_trip()
    {
        using var client = await SignedInClientAsync();
        var todos = client.Data.Collection(NewCollection());
        var created = await todos.CreateAsync(new MudbaseDocument(new JsonObject
        {
            ["title"] = "Keep me",
            ["meta"] = new JsonObject { ["source"] = "import", ["weights"] = new JsonArray(1, 2.5, null) },
        }), Ct);

        await todos.UpdateAsync(created.Id!, new JsonObject { ["title"] = "Kept" }, Ct);
        var after = await todos.GetAsync(created.Id!, Ct);

        Assert.Equal("Kept", (string?)after["title"]);
        Assert.True(JsonNode.DeepEquals(created["meta"], after["meta"]), after.ToString());
    }

    [Fact]
    public async Task Every_filter_operator_finds_exactly_the_expected_documents()
    {
        using var client = await SignedInClientAsync();
        var todos = client.Data.Collection(NewCollection(), IntegrationJson.Default.TodoItem);
        var byPriority = new Dictionary<int, string>();
        for (var p = 1; p <= 6; p++)
        {
            var created = await todos.CreateAsync(new TodoItem
            {
                Title = $"t{p}",
                Priority = p,
                Done = p % 2 == 0,
                Status = p <= 2 ? null : p <= 4 ? "open" : "closed",
                Place = new Place(p <= 3 ? "Oslo" : "Rome", p),
            }, Ct);
            byPriority[p] = created.Id!;
        }

        async Task Expect(DocumentQuery<TodoItem> query, params int[] priorities)
        {
            var found = new List<int>();
            await foreach (var todo in query.OrderBy("priority").ToAsyncEnumerable(Ct))
            {
                found.Add(todo.Priority);
                Assert.Equal(byPriority[todo.Priority], todo.Id);
            }

            Assert.Equal(priorities, found);
        }

        await Expect(todos.Where(Filter.Eq("priority", 3)), 3);
        await Expect(todos.Where(Filter.Ne("priority", 3)), 1, 2, 4, 5, 6);
        await Expect(todos.Where(Filter.Gt("priority", 4)), 5, 6);
        await Expect(todos.Where(Filter.Gte("priority", 4)), 4, 5, 6);
        await Expect(todos.Where(Filter.Lt("priority", 2)), 1);
        await Expect(todos.Where(Filter.Lte("priority", 2)), 1, 2);
        await Expect(todos.Where(Filter.In("status", "open", "closed")), 3, 4, 5, 6);
        await Expect(todos.Where(Filter.NotIn("priority", 1, 2, 3)), 4, 5, 6);
        await Expect(todos.Where(Filter.Exists("status")), 3, 4, 5, 6);
        await Expect(todos.Where(Filter.Exists("status", exists: false)), 1, 2);
        await Expect(todos.Where(Filter.Eq("place.city", "Oslo") & Filter.Eq("done", true)), 2);
        await Expect(todos.Where(Filter.Eq("priority", 1) | Filter.Gte("priority", 6)), 1, 6);
        await Expect(todos.Where(Filter.Eq("done", false)).Where(Filter.Gt("place.floor", 1)), 3, 5);

        // The same, checked by the compiler.
        var floor = 1;
        await Expect(todos.Where(t => t.Priority > 4), 5, 6);
        await Expect(todos.Where(t => !t.Done && t.Place!.Floor > floor), 3, 5);
        await Expect(todos.Where(t => t.Status == null || t.Priority == 6), 1, 2, 6);
        await Expect(todos.Where(t => t.Place!.City == "Rome" && t.Status != "closed"), 4);
        Assert.Equal(3, await todos.Where(t => t.Done).CountAsync(Ct));
        Assert.Equal(byPriority[6], (await todos.OrderByDescending("priority").FirstOrDefaultAsync(Ct))!.Id);
        Assert.Null(await todos.Where(t => t.Priority > 100).FirstOrDefaultAsync(Ct));
    }

    [Fact]
    public async Task Sorting_on_two_fields_and_projection_come_back_as_asked()
    {
        using var client = await SignedInClientAsync();
        var todos = client.Data.Collection(NewCollection());
        foreach (var (title, priority) in new[] { ("b", 1), ("a", 2), ("c", 1), ("d", 2) })
        {
            await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = title, ["priority"] = priority, ["note"] = "x" }), Ct);
        }

        var page = await todos.OrderByDescending("priority").ThenBy("title").Select("title").GetPageAsync(cancellationToken: Ct);

        Assert.Equal(["a", "d", "b", "c"], page.Items.Select(d => (string?)d["title"]));
        Assert.All(page.Items, d => Assert.False(d.Fields.ContainsKey("note")));
        Assert.All(page.Items, d => Assert.NotNull(d.Id));
    }

    [Fact]
    public async Task Paging_through_250_documents_yields_each_exactly_once_and_counts_them()
    {
        using var server = ServerClient();
        var todos = server.Data.Collection(NewCollection());
        for (var i = 0; i < 250; i++)
        {
            await todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = $"item {i}", ["n"] = i }), Ct);
        }

        var seen = new List<int>();
        await foreach (var doc in todos.OrderBy("_id").PageSize(100).ToAsyncEnumerable(Ct))
        {
            seen.Add((int)doc["n"]!);
        }

        Assert.Equal(Enumerable.Range(0, 250), seen.Order());
        Assert.Equal(250, seen.Distinct().Count());
        Assert.Equal(250, await todos.CountAsync(Ct));
        var last = await todos.OrderBy("n").PageSize(100).GetPageAsync(3, Ct);
        Assert.Equal(50, last.Items.Count);
        Assert.Equal(3, last.TotalPages);
        Assert.False(last.HasMore);
    }

    [Fact]
    public async Task A_guest_refused_a_write_gets_a_forbidden_exception_that_says_what_was_needed()
    {
        using var client = await SignedInClientAsync();
        var name = NewCollection(o => o.Permissions.Add(new EmulatorCollectionGrant("authenticated", "read")));

        var ex = await Assert.ThrowsAsync<MudbaseForbiddenException>(() =>
            client.Data.Collection(name).CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "no" }), Ct));

        Assert.Equal("create", ex.RequiredAction);
        Assert.Equal(name, ex.RequiredCollection);
        Assert.Contains("create", ex.Message, StringComparison.Ordinal);
        Assert.Equal(0, await client.Data.Collection(name).CountAsync(Ct));
    }

    [Fact]
    public async Task An_owner_condition_hides_other_users_documents()
    {
        var name = NewCollection(o => o.Permissions.Add(new EmulatorCollectionGrant("authenticated", "create", "read", "update", "delete")
        {
            Condition = new JsonObject { ["userId"] = "$userId" },
        }));
        using var alice = await SignedInClientAsync();
        using var bob = await SignedInClientAsync();

        var mine = await alice.Data.Collection(name).CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "alice's" }), Ct);

        Assert.Equal(alice.Auth.CurrentSession!.User.Id, (string?)mine["userId"]);
        Assert.Equal(1, await alice.Data.Collection(name).CountAsync(Ct));
        Assert.Equal(0, await bob.Data.Collection(name).CountAsync(Ct));
        await Assert.ThrowsAsync<MudbaseNotFoundException>(() => bob.Data.Collection(name).GetAsync(mine.Id!, Ct));
    }

    [Fact]
    public async Task A_public_collection_is_readable_with_no_credential_and_a_private_one_is_not()
    {
        var open = NewCollection(o => o.Permissions.Add(new EmulatorCollectionGrant("public", "read")));
        var closed = NewCollection(o => o.Permissions.Add(new EmulatorCollectionGrant("authenticated", "read")));
        using var server = ServerClient();
        await server.Data.Collection(open).CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "hello" }), Ct);
        using var nobody = fixture.CreateClient();

        var page = await nobody.Data.Collection(open).GetPageAsync(cancellationToken: Ct);

        Assert.Equal("hello", (string?)Assert.Single(page.Items)["title"]);
        await Assert.ThrowsAsync<MudbaseAuthenticationException>(() => nobody.Data.Collection(closed).GetPageAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task A_unique_clash_is_a_conflict_that_names_the_field()
    {
        using var server = ServerClient();
        var name = NewCollection(o =>
        {
            o.Fields.Add(new EmulatorCollectionField("code", "string") { Unique = true });
            o.Permissions.Add(new EmulatorCollectionGrant("authenticated", "create", "read"));
        });
        var codes = server.Data.Collection(name);
        await codes.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "one", ["code"] = "X1" }), Ct);

        var ex = await Assert.ThrowsAsync<MudbaseConflictException>(() => codes.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "two", ["code"] = "X1" }), Ct));

        Assert.Equal("code", ex.Field);
        Assert.Equal("X1", ex.Value?.GetString());
        Assert.Equal(1, await codes.CountAsync(Ct));
    }

    [Fact]
    public async Task A_field_ending_in_Id_that_is_no_ObjectId_is_refused_with_the_fields_name()
    {
        using var client = await SignedInClientAsync();
        var todos = client.Data.Collection(NewCollection());

        var ex = await Assert.ThrowsAsync<MudbaseValidationException>(() => todos.CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = "x", ["boardId"] = "" }), Ct));

        Assert.Contains("boardId", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Through_dependency_injection_a_signed_in_app_writes_and_reads_documents()
    {
        var name = NewCollection();
        var services = new ServiceCollection();
        services.AddMudbaseClient(o =>
        {
            o.BaseUrl = Emulator.BaseUrl;
            o.ProjectId = Emulator.DefaultProjectId;
        });
        await using var provider = services.BuildServiceProvider();
        var client = provider.GetRequiredService<IMudbaseClient>();
        await client.Auth.CreateAnonymousAsync(cancellationToken: Ct);
        var todos = client.Data.Collection(name, IntegrationJson.Default.TodoItem);

        var created = await todos.CreateAsync(new TodoItem { Title = "via DI" }, Ct);

        Assert.Equal("via DI", (await todos.GetAsync(created.Id!, Ct)).Title);
    }
}

/// <summary>Many writers at once through the SDK: nothing lost, nothing twice.</summary>
[Collection(EmulatorLoadTests.Name)]
public sealed class DataConcurrentWriterTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    [Fact]
    public async Task Sixteen_concurrent_writers_create_1000_documents_and_all_1000_are_found()
    {
        var ct = TestContext.Current.CancellationToken;
        var name = "load_" + Guid.NewGuid().ToString("N")[..8];
        fixture.Emulator.CreateCollection(new EmulatorCollectionOptions(name));
        using var server = new MudbaseClient(new MudbaseClientOptions { BaseUrl = fixture.Emulator.BaseUrl, ProjectId = fixture.Emulator.DefaultProjectId, ApiKey = fixture.Emulator.ApiKey });
        var docs = server.Data.Collection(name);

        var ids = await Task.WhenAll(Enumerable.Range(0, 16).Select(writer => Task.Run(async () =>
        {
            var mine = new List<string>();
            for (var i = writer; i < 1000; i += 16)
            {
                mine.Add((await docs.CreateAsync(new MudbaseDocument(new JsonObject { ["n"] = i }), ct)).Id!);
            }

            return mine;
        }, ct)));

        var created = ids.SelectMany(x => x).ToHashSet();
        Assert.Equal(1000, created.Count);
        Assert.Equal(1000, await docs.CountAsync(ct));
        var found = new HashSet<string>();
        await foreach (var doc in docs.OrderBy("_id").PageSize(100).ToAsyncEnumerable(ct))
        {
            Assert.True(found.Add(doc.Id!), $"{doc.Id} came back twice");
        }

        Assert.True(created.SetEquals(found));
    }
}
