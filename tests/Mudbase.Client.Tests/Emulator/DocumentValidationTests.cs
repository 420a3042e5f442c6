using System.Net;
using System.Text.Json.Nodes;
using Mudbase.Emulator;

namespace Mudbase.Tests.Emulator;

/// <summary>Writes checked against the collection's schema, the ObjectId rule, and unique fields, over plain HTTP.</summary>
public sealed class DocumentValidationTests(DataEmulatorFixture fixture) : IClassFixture<DataEmulatorFixture>
{
    private MudbaseEmulator Emulator => fixture.Emulator;

    private DataApi Api => fixture.Api;

    private string Project => Emulator.DefaultProjectId;

    private string NewCollection(params EmulatorCollectionField[] fields)
    {
        var options = new EmulatorCollectionOptions(DataApi.NewName("things"));
        foreach (var field in fields)
        {
            options.Fields.Add(field);
        }

        Emulator.CreateCollection(options);
        return options.Name;
    }

    [Theory]
    [InlineData("""{"boardId":""}""")]
    [InlineData("""{"boardId":"abc"}""")]
    [InlineData("""{"boardId":12}""")]
    public async Task A_body_field_ending_in_Id_must_be_an_objectid_or_null(string body)
    {
        var cards = NewCollection();

        var answer = await Api.CreateAsync(Project, cards, Api.Key(), body);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("""{"error":"Invalid input: Invalid query: Invalid ObjectId format for boardId"}""", answer.Body);
    }

    [Fact]
    public async Task An_objectid_or_null_passes_the_rule_on_create_and_update()
    {
        var cards = NewCollection();

        var created = await Api.CreateAsync(Project, cards, Api.Key(), """{"boardId":"685AD30BE129932FBB7A1047","listId":null}""");
        var id = created.Data.GetProperty("_id").GetString()!;
        var cleared = await Api.PatchAsync(Project, cards, id, Api.Key(), """{"boardId":null}""");
        var refused = await Api.PatchAsync(Project, cards, id, Api.Key(), """{"listId":""}""");

        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal(HttpStatusCode.OK, cleared.Status);
        Assert.False(cleared.Data.TryGetProperty("boardId", out _));
        Assert.Equal("""{"error":"Invalid input: Invalid query: Invalid ObjectId format for listId"}""", refused.Body);
    }

    [Fact]
    public async Task Missing_required_fields_and_wrong_types_are_400_naming_each_field()
    {
        var things = NewCollection(
            new EmulatorCollectionField("title", "string") { Required = true },
            new EmulatorCollectionField("count", "number"),
            new EmulatorCollectionField("done", "boolean"),
            new EmulatorCollectionField("contact", "email"),
            new EmulatorCollectionField("site", "url"),
            new EmulatorCollectionField("due", "date"),
            new EmulatorCollectionField("tags", "array"),
            new EmulatorCollectionField("meta", "object"),
            new EmulatorCollectionField("ownerRef", "reference"),
            new EmulatorCollectionField("level", "enum") { Validation = new JsonObject { ["enum"] = new JsonArray("low", "high") } });

        var answer = await Api.CreateAsync(Project, things, Api.Key(), """
            {"count":"3","done":"yes","contact":"nope","site":"not a url","due":"someday","tags":{},"meta":[],"ownerRef":"x","level":"mid"}
            """);

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        string[] details =
        [
            "\"title\" is required", "\"count\" must be a number", "\"done\" must be a boolean", "\"contact\" must be a valid email",
            "\"site\" must be a valid uri", "\"due\" must be a valid date", "\"tags\" must be an array", "\"meta\" must be of type object",
            "\"ownerRef\" must be a valid ObjectId", "\"level\" must be one of [low, high]",
        ];
        Assert.Equal(details, answer.Json.GetProperty("details").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal("Validation failed: " + string.Join(", ", details), answer.Json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Valid_values_and_defaults_pass_and_unknown_fields_are_kept()
    {
        var things = NewCollection(
            new EmulatorCollectionField("title", "string") { Required = true, Validation = new JsonObject { ["min"] = 2 } },
            new EmulatorCollectionField("count", "number") { Default = 0 },
            new EmulatorCollectionField("due", "datetime"),
            new EmulatorCollectionField("blob", "json"));

        var ok = await Api.CreateAsync(Project, things, Api.Key(), """{"title":"ok","due":"2026-08-01T10:00:00Z","blob":[1,{"a":2}],"unknown":{"kept":true}}""");
        var tooShort = await Api.CreateAsync(Project, things, Api.Key(), """{"title":"x"}""");

        Assert.Equal(HttpStatusCode.Created, ok.Status);
        Assert.Equal(0, ok.Data.GetProperty("count").GetInt32());
        Assert.Equal("""{"kept":true}""", ok.Data.GetProperty("unknown").GetRawText());
        Assert.Equal(HttpStatusCode.BadRequest, tooShort.Status);
        Assert.Equal("\"title\" length must be at least 2 characters long", tooShort.Json.GetProperty("details")[0].GetString());
    }

    [Fact]
    public async Task An_update_validates_what_it_changes_and_may_not_clear_a_required_field()
    {
        var things = NewCollection(new EmulatorCollectionField("title", "string") { Required = true }, new EmulatorCollectionField("count", "number"));
        var id = await Api.SeedAsync(Project, things, """{"title":"t"}""");

        var cleared = await Api.PatchAsync(Project, things, id, Api.Key(), """{"title":null}""");
        var wrongType = await Api.PatchAsync(Project, things, id, Api.Key(), """{"count":"many"}""");
        var fine = await Api.PatchAsync(Project, things, id, Api.Key(), """{"count":2}""");

        Assert.Equal(HttpStatusCode.BadRequest, cleared.Status);
        Assert.Equal(["\"title\" is required"], cleared.Json.GetProperty("details").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, wrongType.Status);
        Assert.Equal(HttpStatusCode.OK, fine.Status);
    }

    [Fact]
    public async Task A_unique_clash_is_409_duplicate_key_on_create_and_update()
    {
        var users = NewCollection(new EmulatorCollectionField("handle", "string") { Unique = true });
        await Api.SeedAsync(Project, users, """{"handle":"ada"}""");
        var other = await Api.SeedAsync(Project, users, """{"handle":"grace"}""");

        var create = await Api.CreateAsync(Project, users, Api.Key(), """{"handle":"ada"}""");
        var update = await Api.PatchAsync(Project, users, other, Api.Key(), """{"handle":"ada"}""");
        var same = await Api.PatchAsync(Project, users, other, Api.Key(), """{"handle":"grace"}""");
        var absent = await Api.CreateAsync(Project, users, Api.Key(), """{}""");
        var absentAgain = await Api.CreateAsync(Project, users, Api.Key(), """{"handle":null}""");

        Assert.Equal(HttpStatusCode.Conflict, create.Status);
        Assert.Equal("""{"error":"Duplicate value for unique field \"handle\"","code":"duplicate_key","field":"handle","value":"ada"}""", create.Body);
        Assert.Equal(HttpStatusCode.Conflict, update.Status);
        Assert.Equal("duplicate_key", update.Json.GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.OK, same.Status);
        Assert.Equal(HttpStatusCode.Created, absent.Status);
        Assert.Equal(HttpStatusCode.Created, absentAgain.Status);
    }
}
