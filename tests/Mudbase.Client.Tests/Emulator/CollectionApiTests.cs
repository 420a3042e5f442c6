using System.Net;
using System.Text.Json.Nodes;
using Mudbase.Emulator;

namespace Mudbase.Tests.Emulator;

/// <summary>The schema routes: reads for any credential, writes for the API key only; and CreateCollection in code.</summary>
public sealed class CollectionApiTests(DataEmulatorFixture fixture) : IClassFixture<DataEmulatorFixture>
{
    private MudbaseEmulator Emulator => fixture.Emulator;

    private DataApi Api => fixture.Api;

    private string Project => Emulator.DefaultProjectId;

    private const string OrgOnly = """{"required":["owner","admin","developer"],"current":"viewer"}""";

    [Fact]
    public async Task Create_update_get_list_and_delete_with_the_api_key()
    {
        var name = DataApi.NewName("Tasks");
        var created = await Api.SendAsync(HttpMethod.Post, DataApi.SchemaPath(Project), Api.Key(), $$$"""
            {"name":"{{{name}}}","fields":[{"name":"title","type":"string","required":true,"ui":{"widget":"textarea"}}],
             "permissions":[{"role":"authenticated","actions":["read"]}],"settings":{"timestamps":true}}
            """);

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("Collection created successfully", created.Json.GetProperty("message").GetString());
        var collection = created.Json.GetProperty("collection");
        var id = collection.GetProperty("_id").GetString()!;
        Assert.Matches("^[0-9a-f]{24}$", id);
        Assert.Equal(["_id", "name", "slug", "project", "fields", "permissions", "settings", "createdAt", "updatedAt"], collection.EnumerateObject().Select(p => p.Name));
        Assert.Equal(name.ToLowerInvariant(), collection.GetProperty("slug").GetString());
        Assert.Equal(Project, collection.GetProperty("project").GetString());
        Assert.Equal("""{"name":"title","type":"string","required":true,"ui":{"widget":"textarea"}}""", collection.GetProperty("fields")[0].GetRawText());
        Assert.Equal("""{"timestamps":true}""", collection.GetProperty("settings").GetRawText());

        var updated = await Api.SendAsync(HttpMethod.Patch, DataApi.SchemaPath(Project, id), Api.Key(), """{"fields":[{"name":"title","type":"text"},{"name":"n","type":"number"}]}""");
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal("Collection updated successfully", updated.Json.GetProperty("message").GetString());
        Assert.Equal(2, updated.Json.GetProperty("collection").GetProperty("fields").GetArrayLength());
        Assert.Equal(name, updated.Json.GetProperty("collection").GetProperty("name").GetString());

        var got = await Api.SendAsync(HttpMethod.Get, DataApi.SchemaPath(Project, id), Api.Key());
        Assert.Equal(HttpStatusCode.OK, got.Status);
        Assert.Equal(id, got.Json.GetProperty("_id").GetString());
        Assert.Equal(updated.Json.GetProperty("collection").GetRawText(), got.Body);

        var list = await Api.SendAsync(HttpMethod.Get, DataApi.SchemaPath(Project), Api.Key());
        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Contains(id, list.Json.GetProperty("collections").EnumerateArray().Select(c => c.GetProperty("_id").GetString()));
        Assert.Equal(list.Json.GetProperty("collections").GetArrayLength(), list.Json.GetProperty("total").GetInt32());

        await Api.SeedAsync(Project, id, """{"title":"gone with it"}""");
        var deleted = await Api.SendAsync(HttpMethod.Delete, DataApi.SchemaPath(Project, id), Api.Key());
        Assert.Equal((HttpStatusCode.OK, """{"message":"Collection deleted successfully"}"""), (deleted.Status, deleted.Body));
        var afterwards = await Api.SendAsync(HttpMethod.Get, DataApi.SchemaPath(Project, id), Api.Key());
        Assert.Equal((HttpStatusCode.NotFound, """{"error":"Collection not found"}"""), (afterwards.Status, afterwards.Body));
        Assert.Equal(HttpStatusCode.NotFound, (await Api.ListAsync(Project, id, Api.Key())).Status);
    }

    [Fact]
    public async Task Schema_writes_are_org_calls_a_users_token_gets_403_without_an_error_key()
    {
        var existing = Emulator.CreateCollection(new EmulatorCollectionOptions(DataApi.NewName("orgonly")));
        var guest = await Api.GuestAsync();

        var create = await Api.SendAsync(HttpMethod.Post, DataApi.SchemaPath(Project), guest, """{"name":"mine","fields":[]}""");
        var update = await Api.SendAsync(HttpMethod.Patch, DataApi.SchemaPath(Project, existing), guest, """{"name":"renamed"}""");
        var delete = await Api.SendAsync(HttpMethod.Delete, DataApi.SchemaPath(Project, existing), guest);
        var anonymous = await Api.SendAsync(HttpMethod.Post, DataApi.SchemaPath(Project), Credential.None, """{"name":"mine","fields":[]}""");

        Assert.Equal((HttpStatusCode.Forbidden, OrgOnly), (create.Status, create.Body));
        Assert.Equal((HttpStatusCode.Forbidden, OrgOnly), (update.Status, update.Body));
        Assert.Equal((HttpStatusCode.Forbidden, OrgOnly), (delete.Status, delete.Body));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.SendAsync(HttpMethod.Get, DataApi.SchemaPath(Project, existing), Api.Key())).Status);
    }

    [Fact]
    public async Task A_user_may_read_the_schemas_but_nobody_without_a_credential()
    {
        var existing = Emulator.CreateCollection(new EmulatorCollectionOptions(DataApi.NewName("readable")));
        var guest = await Api.GuestAsync();

        var list = await Api.SendAsync(HttpMethod.Get, DataApi.SchemaPath(Project), guest);
        var get = await Api.SendAsync(HttpMethod.Get, DataApi.SchemaPath(Project, existing), guest);
        var anonymous = await Api.SendAsync(HttpMethod.Get, DataApi.SchemaPath(Project), Credential.None);

        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Equal(HttpStatusCode.OK, get.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.Status);
    }

    [Fact]
    public async Task An_invalid_schema_is_400_naming_each_problem_and_a_taken_name_409()
    {
        var name = DataApi.NewName("dupe");
        Emulator.CreateCollection(new EmulatorCollectionOptions(name));

        var invalid = await Api.SendAsync(HttpMethod.Post, DataApi.SchemaPath(Project), Api.Key(), """
            {"fields":[{"name":"a","type":"varchar"},{"type":"string"}],"permissions":[{"role":"public","actions":["read","manage"]}]}
            """);
        var taken = await Api.SendAsync(HttpMethod.Post, DataApi.SchemaPath(Project), Api.Key(), $$"""{"name":"{{name}}","fields":[]}""");

        Assert.Equal(HttpStatusCode.BadRequest, invalid.Status);
        Assert.Equal(
            ["\"name\" is required", "\"fields[0].type\" must be one of [string, number, boolean, date, datetime, email, url, text, array, object, reference, file, enum, json]",
             "\"fields[1].name\" is required", "\"permissions[0].actions[1]\" must be one of [create, read, update, delete]"],
            invalid.Json.GetProperty("details").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(HttpStatusCode.Conflict, taken.Status);
    }

    [Fact]
    public void CreateCollection_checks_the_schema_and_the_project_like_the_http_route()
    {
        var bad = new EmulatorCollectionOptions("bad") { Fields = { new EmulatorCollectionField("x", "varchar") } };
        var name = DataApi.NewName("twice");
        Emulator.CreateCollection(new EmulatorCollectionOptions(name));

        Assert.Contains("fields[0].type", Assert.Throws<ArgumentException>(() => Emulator.CreateCollection(bad)).Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Emulator.CreateCollection(new EmulatorCollectionOptions(name)));
        Assert.Throws<ArgumentException>(() => Emulator.CreateCollection(new EmulatorCollectionOptions("x"), "0123456789abcdef01234567"));
        Assert.Throws<ArgumentException>(() => Emulator.GetApiKey("0123456789abcdef01234567"));
        Assert.Throws<ArgumentException>(() => new EmulatorCollectionOptions(" "));
        var grant = new EmulatorCollectionGrant("authenticated", "read") { Condition = new JsonObject { ["userId"] = "$userId" } };
        Assert.Equal(["read"], grant.Actions);
    }
}
