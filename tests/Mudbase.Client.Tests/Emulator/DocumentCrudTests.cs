using System.Net;
using Mudbase.Emulator;

namespace Mudbase.Tests.Emulator;

/// <summary>Documents' create, get, update, delete and their answers, over plain HTTP.</summary>
public sealed class DocumentCrudTests(DataEmulatorFixture fixture) : IClassFixture<DataEmulatorFixture>
{
    private MudbaseEmulator Emulator => fixture.Emulator;

    private DataApi Api => fixture.Api;

    private string Project => Emulator.DefaultProjectId;

    private string NewCollection(params EmulatorCollectionField[] fields)
    {
        var options = new EmulatorCollectionOptions(DataApi.NewName("todos"));
        foreach (var field in fields)
        {
            options.Fields.Add(field);
        }

        Emulator.CreateCollection(options);
        return options.Name;
    }

    [Fact]
    public async Task Create_get_update_and_delete_answer_with_the_documented_envelopes()
    {
        var todos = NewCollection(new EmulatorCollectionField("title", "string") { Required = true }, new EmulatorCollectionField("done", "boolean"));
        var key = Api.Key();

        var created = await Api.CreateAsync(Project, todos, key, """{"title":"Write tests","done":false,"extra":{"nested":[1,"two",null]}}""");

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("application/json", created.ContentType);
        Assert.Equal("Data created successfully", created.Json.GetProperty("message").GetString());
        var id = created.Data.GetProperty("_id").GetString()!;
        Assert.Matches("^[0-9a-f]{24}$", id);
        Assert.Equal("Write tests", created.Data.GetProperty("title").GetString());
        Assert.Equal("""{"nested":[1,"two",null]}""", created.Data.GetProperty("extra").GetRawText());
        var createdAt = created.Data.GetProperty("createdAt").GetString()!;
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", createdAt);
        Assert.Equal(createdAt, created.Data.GetProperty("updatedAt").GetString());

        var got = await Api.GetAsync(Project, todos, id, key);
        Assert.Equal(HttpStatusCode.OK, got.Status);
        Assert.Equal(created.Data.GetRawText(), got.Data.GetRawText());
        Assert.Equal(["data"], got.Json.EnumerateObject().Select(p => p.Name));

        var updated = await Api.PatchAsync(Project, todos, id, key, """{"done":true,"extra":null,"added":"yes"}""");
        Assert.Equal(HttpStatusCode.OK, updated.Status);
        Assert.Equal("Data updated successfully", updated.Json.GetProperty("message").GetString());
        Assert.True(updated.Data.GetProperty("done").GetBoolean());
        Assert.Equal("Write tests", updated.Data.GetProperty("title").GetString());
        Assert.False(updated.Data.TryGetProperty("extra", out _), "null clears a field");
        Assert.Equal("yes", updated.Data.GetProperty("added").GetString());
        Assert.Equal(createdAt, updated.Data.GetProperty("createdAt").GetString());
        Assert.Equal(id, updated.Data.GetProperty("_id").GetString());

        var deleted = await Api.DeleteAsync(Project, todos, id, key);
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal("""{"message":"Data deleted successfully"}""", deleted.Body);

        var gone = await Api.GetAsync(Project, todos, id, key);
        Assert.Equal(HttpStatusCode.NotFound, gone.Status);
        Assert.Equal("""{"error":"Document not found"}""", gone.Body);
    }

    [Fact]
    public async Task An_unknown_document_is_404_for_get_patch_and_delete()
    {
        var todos = NewCollection();
        var key = Api.Key();
        const string Missing = "0123456789abcdef01234567";

        foreach (var answer in new[]
        {
            await Api.GetAsync(Project, todos, Missing, key),
            await Api.PatchAsync(Project, todos, Missing, key, """{"a":1}"""),
            await Api.DeleteAsync(Project, todos, Missing, key),
            await Api.GetAsync(Project, todos, "not-an-object-id", key),
        })
        {
            Assert.Equal(HttpStatusCode.NotFound, answer.Status);
            Assert.Equal("""{"error":"Document not found"}""", answer.Body);
        }
    }

    [Fact]
    public async Task An_unknown_collection_or_project_is_404_and_a_malformed_project_id_400()
    {
        var key = Api.Key();

        var collection = await Api.ListAsync(Project, "no-such-collection", key);
        var project = await Api.ListAsync("0123456789abcdef01234567", "todos", key);
        var malformed = await Api.ListAsync("nope", "todos", key);

        Assert.Equal((HttpStatusCode.NotFound, """{"error":"Collection not found"}"""), (collection.Status, collection.Body));
        Assert.Equal((HttpStatusCode.NotFound, """{"error":"Project not found"}"""), (project.Status, project.Body));
        Assert.Equal((HttpStatusCode.BadRequest, """{"error":"Invalid project ID format"}"""), (malformed.Status, malformed.Body));
    }

    [Fact]
    public async Task A_collection_is_addressed_by_its_id_its_slug_or_its_name()
    {
        var options = new EmulatorCollectionOptions("Shopping List " + Guid.NewGuid().ToString("N")[..6]);
        var collectionId = Emulator.CreateCollection(options);
        var slug = options.Name.ToLowerInvariant().Replace(' ', '-');
        var id = await Api.SeedAsync(Project, collectionId, """{"item":"milk"}""");

        foreach (var reference in new[] { collectionId, collectionId.ToUpperInvariant(), slug, options.Name })
        {
            var answer = await Api.GetAsync(Project, reference, id, Api.Key());
            Assert.True(answer.Status == HttpStatusCode.OK, $"{reference}: {answer}");
        }
    }

    [Fact]
    public async Task The_server_sets_id_and_timestamps_whatever_the_body_says()
    {
        var todos = NewCollection();

        var created = await Api.CreateAsync(Project, todos, Api.Key(), """{"_id":"0123456789abcdef01234567","createdAt":"1999-01-01T00:00:00.000Z","title":"x"}""");

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.NotEqual("0123456789abcdef01234567", created.Data.GetProperty("_id").GetString());
        Assert.NotEqual("1999-01-01T00:00:00.000Z", created.Data.GetProperty("createdAt").GetString());
    }

    [Fact]
    public async Task A_body_that_is_not_a_json_object_is_400()
    {
        var todos = NewCollection();

        var answer = await Api.CreateAsync(Project, todos, Api.Key(), "[1,2]");

        Assert.Equal((HttpStatusCode.BadRequest, """{"error":"Invalid JSON"}"""), (answer.Status, answer.Body));
    }
}
