using System.Net;
using System.Text.Json.Nodes;
using Mudbase.Emulator;

namespace Mudbase.Tests.Emulator;

/// <summary>Collection grants, owner conditions, protected fields and credentials on the data routes, over plain HTTP.</summary>
public sealed class DataPermissionTests(DataEmulatorFixture fixture) : IClassFixture<DataEmulatorFixture>
{
    private MudbaseEmulator Emulator => fixture.Emulator;

    private DataApi Api => fixture.Api;

    private string Project => Emulator.DefaultProjectId;

    private string NewCollection(string? projectId, params EmulatorCollectionGrant[] grants)
    {
        var options = new EmulatorCollectionOptions(DataApi.NewName("cards"));
        foreach (var grant in grants)
        {
            options.Permissions.Add(grant);
        }

        Emulator.CreateCollection(options, projectId);
        return options.Name;
    }

    private static EmulatorCollectionGrant Owned(string role, params string[] actions) =>
        new(role, actions) { Condition = new JsonObject { ["userId"] = "$userId" } };

    [Fact]
    public async Task A_guest_without_a_grant_is_refused_a_write_with_the_rbac_body()
    {
        var cards = NewCollection(null, new EmulatorCollectionGrant("customer", "create", "read"));
        var guest = await Api.GuestAsync();

        var answer = await Api.CreateAsync(Project, cards, guest, """{"title":"x"}""");

        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal(
            $$"""{"error":"Insufficient permissions","required":{"action":"create","collection":"{{cards}}"},"userRole":"viewer","customRole":"none"}""",
            answer.Body);
        Assert.Empty((await Api.ListAsync(Project, cards, Api.Key())).Documents);
    }

    [Fact]
    public async Task A_user_is_matched_on_their_custom_role()
    {
        var project = Emulator.NoVerificationProjectId;
        var cards = NewCollection(project, new EmulatorCollectionGrant("customer", "create", "read"));
        var customer = await Api.SignUpAsync(project, "customer");
        var vendor = await Api.SignUpAsync(project, "vendor");

        var allowed = await Api.CreateAsync(project, cards, customer, """{"title":"mine"}""");
        var refused = await Api.CreateAsync(project, cards, vendor, """{"title":"theirs"}""");
        var refusedRead = await Api.ListAsync(project, cards, vendor);

        Assert.Equal(HttpStatusCode.Created, allowed.Status);
        Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
        Assert.Equal("vendor", refused.Json.GetProperty("customRole").GetString());
        Assert.Equal(
            $$"""{"error":"Insufficient permissions","required":{"action":"read","collection":"{{cards}}"},"userRole":"viewer","customRole":"vendor"}""",
            refusedRead.Body);
    }

    [Fact]
    public async Task A_public_read_grant_serves_requests_without_any_credential()
    {
        var posts = NewCollection(null, new EmulatorCollectionGrant("public", "read") { Condition = new JsonObject { ["status"] = "published" } });
        var published = await Api.SeedAsync(Project, posts, """{"title":"hello","status":"published"}""");
        var draft = await Api.SeedAsync(Project, posts, """{"title":"draft","status":"draft"}""");

        var list = await Api.ListAsync(Project, posts, Credential.None);
        var get = await Api.GetAsync(Project, posts, published, Credential.None);
        var hidden = await Api.GetAsync(Project, posts, draft, Credential.None);
        var write = await Api.CreateAsync(Project, posts, Credential.None, """{"title":"spam"}""");

        Assert.Equal(HttpStatusCode.OK, list.Status);
        Assert.Equal([published], list.Documents.Select(d => d.GetProperty("_id").GetString()));
        Assert.Equal(HttpStatusCode.OK, get.Status);
        Assert.Equal(HttpStatusCode.NotFound, hidden.Status);
        Assert.Equal((HttpStatusCode.Unauthorized, """{"error":"Authentication required"}"""), (write.Status, write.Body));
    }

    [Fact]
    public async Task Without_a_credential_or_a_public_grant_every_call_is_401()
    {
        var cards = NewCollection(null, new EmulatorCollectionGrant("authenticated", "create", "read", "update", "delete"));
        var id = await Api.SeedAsync(Project, cards, """{"title":"x"}""");

        foreach (var answer in new[]
        {
            await Api.ListAsync(Project, cards, Credential.None),
            await Api.GetAsync(Project, cards, id, Credential.None),
            await Api.CreateAsync(Project, cards, Credential.None, "{}"),
            await Api.PatchAsync(Project, cards, id, Credential.None, "{}"),
            await Api.DeleteAsync(Project, cards, id, Credential.None),
        })
        {
            Assert.Equal((HttpStatusCode.Unauthorized, """{"error":"Authentication required"}"""), (answer.Status, answer.Body));
        }
    }

    [Fact]
    public async Task An_owner_condition_fills_userId_on_create_and_hides_other_users_documents()
    {
        var notes = NewCollection(null, Owned("authenticated", "create", "read", "update", "delete"));
        var ada = await Api.GuestAsync();
        var grace = await Api.GuestAsync();

        var created = await Api.CreateAsync(Project, notes, ada, """{"text":"ada's"}""");
        var id = created.Data.GetProperty("_id").GetString()!;
        await Api.CreateAsync(Project, notes, grace, """{"text":"grace's"}""");

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(ada.UserId, created.Data.GetProperty("userId").GetString());
        Assert.Equal(["ada's"], (await Api.ListAsync(Project, notes, ada)).Documents.Select(d => d.GetProperty("text").GetString()));
        Assert.Equal(["grace's"], (await Api.ListAsync(Project, notes, grace)).Documents.Select(d => d.GetProperty("text").GetString()));
        Assert.Equal(2, (await Api.ListAsync(Project, notes, Api.Key())).Documents.Count);

        // Grace cannot see, change or delete Ada's note: it does not exist for her.
        foreach (var answer in new[]
        {
            await Api.GetAsync(Project, notes, id, grace),
            await Api.PatchAsync(Project, notes, id, grace, """{"text":"hacked"}"""),
            await Api.DeleteAsync(Project, notes, id, grace),
        })
        {
            Assert.Equal((HttpStatusCode.NotFound, """{"error":"Document not found"}"""), (answer.Status, answer.Body));
        }

        Assert.Equal("ada's", (await Api.GetAsync(Project, notes, id, ada)).Data.GetProperty("text").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Api.PatchAsync(Project, notes, id, ada, """{"text":"edited"}""")).Status);
        Assert.Equal(HttpStatusCode.OK, (await Api.DeleteAsync(Project, notes, id, ada)).Status);
    }

    [Fact]
    public async Task A_user_may_not_write_another_users_id_into_the_owner_field()
    {
        var notes = NewCollection(null, Owned("authenticated", "create", "read", "update"));
        var ada = await Api.GuestAsync();
        var grace = await Api.GuestAsync();
        var mine = await Api.CreateAsync(Project, notes, ada, $$"""{"text":"own id is fine","userId":"{{ada.UserId}}"}""");
        var id = mine.Data.GetProperty("_id").GetString()!;

        var create = await Api.CreateAsync(Project, notes, ada, $$"""{"text":"as grace","userId":"{{grace.UserId}}"}""");
        var move = await Api.PatchAsync(Project, notes, id, ada, $$"""{"userId":"{{grace.UserId}}"}""");

        Assert.Equal(HttpStatusCode.Created, mine.Status);
        Assert.Equal(HttpStatusCode.Forbidden, create.Status);
        Assert.Equal("Insufficient permissions", create.Json.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, move.Status);
        Assert.Equal(ada.UserId, (await Api.GetAsync(Project, notes, id, ada)).Data.GetProperty("userId").GetString());
    }

    [Fact]
    public async Task A_row_readable_by_all_but_changed_only_by_its_owner_is_403_for_others()
    {
        var posts = NewCollection(null, new EmulatorCollectionGrant("authenticated", "read"), Owned("authenticated", "create", "update", "delete"));
        var ada = await Api.GuestAsync();
        var grace = await Api.GuestAsync();
        var id = (await Api.CreateAsync(Project, posts, ada, """{"text":"ada's"}""")).Data.GetProperty("_id").GetString()!;

        var read = await Api.GetAsync(Project, posts, id, grace);
        var update = await Api.PatchAsync(Project, posts, id, grace, """{"text":"x"}""");
        var delete = await Api.DeleteAsync(Project, posts, id, grace);

        Assert.Equal(HttpStatusCode.OK, read.Status);
        Assert.Equal(HttpStatusCode.Forbidden, update.Status);
        Assert.Equal("update", update.Json.GetProperty("required").GetProperty("action").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, delete.Status);
        Assert.Equal("delete", delete.Json.GetProperty("required").GetProperty("action").GetString());
    }

    [Theory]
    [InlineData("role")]
    [InlineData("permissions")]
    [InlineData("customRole")]
    [InlineData("isAdmin")]
    public async Task Protected_role_fields_are_403_for_users_but_allowed_with_the_api_key(string field)
    {
        var cards = NewCollection(null, new EmulatorCollectionGrant("authenticated", "create", "read", "update"));
        var guest = await Api.GuestAsync();
        var own = (await Api.CreateAsync(Project, cards, guest, """{"title":"x"}""")).Data.GetProperty("_id").GetString()!;

        var create = await Api.CreateAsync(Project, cards, guest, $$"""{"title":"x","{{field}}":"admin"}""");
        var update = await Api.PatchAsync(Project, cards, own, guest, $$"""{"{{field}}":"admin"}""");
        var withKey = await Api.CreateAsync(Project, cards, Api.Key(), $$"""{"title":"x","{{field}}":"admin"}""");

        Assert.Equal((HttpStatusCode.Forbidden, """{"error":"Cannot set protected role fields"}"""), (create.Status, create.Body));
        Assert.Equal((HttpStatusCode.Forbidden, """{"error":"Cannot set protected role fields"}"""), (update.Status, update.Body));
        Assert.Equal(HttpStatusCode.Created, withKey.Status);
        Assert.Equal("admin", withKey.Data.GetProperty(field).GetString());
    }

    [Fact]
    public async Task The_api_key_is_allowed_everything_and_is_valid_for_its_own_project_only()
    {
        var cards = NewCollection(null);
        var byHeader = await Api.CreateAsync(Project, cards, Api.Key(), """{"status":"any"}""");
        var byBearer = await Api.CreateAsync(Project, cards, new Credential(Token: Emulator.ApiKey), "{}");
        var otherProjectsKey = await Api.CreateAsync(Project, cards, new Credential(ApiKey: Emulator.GetApiKey(Emulator.NoVerificationProjectId)), "{}");
        var wrongKey = await Api.ListAsync(Project, cards, new Credential(ApiKey: "pk_live_publishable"));

        Assert.StartsWith("ak_", Emulator.ApiKey, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, byHeader.Status);
        Assert.Equal(HttpStatusCode.Created, byBearer.Status);
        Assert.Equal((HttpStatusCode.Unauthorized, """{"error":"Invalid API key"}"""), (otherProjectsKey.Status, otherProjectsKey.Body));
        Assert.Equal((HttpStatusCode.Unauthorized, """{"error":"Invalid API key"}"""), (wrongKey.Status, wrongKey.Body));
    }

    [Fact]
    public async Task A_bad_token_is_401_and_another_projects_user_is_403()
    {
        var cards = NewCollection(null, new EmulatorCollectionGrant("public", "read"));
        var stranger = await Api.GuestAsync(Emulator.NoVerificationProjectId);

        var badToken = await Api.ListAsync(Project, cards, new Credential(Token: "not.a.token"));
        var otherProject = await Api.ListAsync(Project, cards, stranger);

        Assert.Equal(HttpStatusCode.Unauthorized, badToken.Status);
        Assert.Equal(HttpStatusCode.Forbidden, otherProject.Status);
    }
}
