using System.Text.Json.Nodes;
using Mudbase.Collections;

namespace Mudbase.Tests.Integration;

/// <summary>Schemas end to end: a server app with the API key defines them, users read them and are refused writes.</summary>
public sealed class CollectionsFlowTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MudbaseClient ServerClient() => new(new MudbaseClientOptions
    {
        BaseUrl = fixture.Emulator.BaseUrl,
        ProjectId = fixture.Emulator.DefaultProjectId,
        ApiKey = fixture.Emulator.ApiKey,
    });

    [Fact]
    public async Task A_server_app_creates_reads_updates_and_deletes_a_schema()
    {
        using var server = ServerClient();
        var name = "orders_" + Guid.NewGuid().ToString("N")[..8];

        var created = await server.Collections.CreateAsync(new CreateCollectionRequest
        {
            Name = name,
            Fields = [new SchemaField("total", SchemaFieldTypes.Number, required: true), new SchemaField("code", SchemaFieldTypes.String, unique: true)],
            Permissions = [new CollectionPermission("authenticated", ["create", "read"], condition: new JsonObject { ["userId"] = "$userId" })],
        }, Ct);

        Assert.Matches("^[0-9a-f]{24}$", created.Id);
        Assert.Equal(name, created.Name);
        Assert.Equal(fixture.Emulator.DefaultProjectId, created.ProjectId);
        Assert.Equal(["total", "code"], created.Fields.Select(f => f.Name));
        Assert.True(created.Fields[0].Required);
        Assert.True(created.Fields[1].Unique);
        var grant = Assert.Single(created.Permissions);
        Assert.Equal("authenticated", grant.Role);
        Assert.Equal("$userId", (string?)grant.Condition!["userId"]);

        Assert.Equal(created.Id, (await server.Collections.GetAsync(created.Id, cancellationToken: Ct)).Id);
        Assert.Contains(await server.Collections.ListAsync(cancellationToken: Ct), c => c.Id == created.Id);

        var updated = await server.Collections.UpdateAsync(created.Id, new UpdateCollectionRequest
        {
            Fields = [.. created.Fields, new SchemaField("note", SchemaFieldTypes.Text)],
        }, Ct);
        Assert.Equal(["total", "code", "note"], updated.Fields.Select(f => f.Name));

        await server.Collections.DeleteAsync(created.Id, cancellationToken: Ct);
        await Assert.ThrowsAsync<MudbaseNotFoundException>(() => server.Collections.GetAsync(created.Id, cancellationToken: Ct));
    }

    [Fact]
    public async Task A_user_reads_schemas_but_a_schema_write_needs_an_org_role_and_says_so()
    {
        using var server = ServerClient();
        var schema = await server.Collections.CreateAsync(new CreateCollectionRequest
        {
            Name = "posts_" + Guid.NewGuid().ToString("N")[..8],
            Fields = [new SchemaField("title", SchemaFieldTypes.String)],
        }, Ct);
        using var user = fixture.CreateClient();
        await user.Auth.CreateAnonymousAsync(cancellationToken: Ct);

        Assert.Equal(schema.Name, (await user.Collections.GetAsync(schema.Id, cancellationToken: Ct)).Name);
        var ex = await Assert.ThrowsAsync<MudbaseForbiddenException>(() => user.Collections.DeleteAsync(schema.Id, cancellationToken: Ct));

        Assert.Equal(["owner", "admin", "developer"], ex.RequiredRoles);
        Assert.Equal("viewer", ex.UserRole);
        Assert.NotNull(await server.Collections.GetAsync(schema.Id, cancellationToken: Ct));
    }
}
