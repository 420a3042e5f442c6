using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Mudbase.Data;

namespace Mudbase.Tests.Unit.Data;

public sealed class DocumentPage
{
    public List<MudbaseDocument> Data { get; set; } = [];
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(DocumentPage))]
internal sealed partial class DocumentPageContext : JsonSerializerContext;

/// <summary><see cref="MudbaseDocument"/>: the id from <c>_id</c> or <c>id</c>, and nothing lost on the way through.</summary>
public sealed class MudbaseDocumentTests
{
    private const string Stored =
        """{"_id":"6650c0ffee0000000000abcd","createdAt":"2030-01-02T03:04:05.678Z","updatedAt":"2030-01-03T00:00:00.000Z","title":"Buy milk","priority":2,"nested":{"unknown":[1,{"deep":true}]},"nothing":null}""";

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    [Fact]
    public void Reads_the_id_and_timestamps_and_keeps_every_other_field()
    {
        var document = new MudbaseDocument(Parse(Stored));

        Assert.Equal("6650c0ffee0000000000abcd", document.Id);
        Assert.Equal(new DateTimeOffset(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero), document.CreatedAt);
        Assert.Equal(new DateTimeOffset(2030, 1, 3, 0, 0, 0, TimeSpan.Zero), document.UpdatedAt);
        Assert.Equal(["title", "priority", "nested", "nothing"], document.Fields.Select(field => field.Key));
        Assert.Equal("Buy milk", (string?)document["title"]);
        Assert.True(document.Fields.ContainsKey("nothing"));
    }

    [Fact]
    public void Writes_back_exactly_what_it_read()
    {
        var document = new MudbaseDocument(Parse(Stored));

        Assert.True(JsonNode.DeepEquals(Parse(Stored), document.ToJsonObject()));
        Assert.Equal(Stored, document.ToString());
    }

    [Fact]
    public void Takes_the_id_from_id_when_there_is_no_underscore_id_and_writes_it_back_as_id()
    {
        var document = new MudbaseDocument(Parse("""{"id":"abc","title":"x"}"""));

        Assert.Equal("abc", document.Id);
        Assert.False(document.Fields.ContainsKey("id"));
        Assert.Equal("""{"id":"abc","title":"x"}""", document.ToString());
        Assert.Equal("abc", (string?)document["id"]);
    }

    [Fact]
    public void Prefers_underscore_id_and_keeps_id_as_an_ordinary_field()
    {
        var document = new MudbaseDocument(Parse("""{"_id":"abc","id":42}"""));

        Assert.Equal("abc", document.Id);
        Assert.Equal(42, (int?)document["id"]);
        document["id"] = 43;
        Assert.Equal("""{"_id":"abc","id":43}""", document.ToString());
    }

    [Fact]
    public void A_null_underscore_id_falls_back_to_id()
    {
        var document = new MudbaseDocument(Parse("""{"_id":null,"id":"abc"}"""));

        Assert.Equal("abc", document.Id);
        Assert.True(JsonNode.DeepEquals(Parse("""{"_id":null,"id":"abc"}"""), document.ToJsonObject()));
    }

    [Fact]
    public void A_numeric_id_is_read_as_its_text_and_written_back_as_a_number()
    {
        var document = new MudbaseDocument(Parse("""{"_id":42}"""));

        Assert.Equal("42", document.Id);
        Assert.Equal("""{"_id":42}""", document.ToString());
    }

    [Fact]
    public void Timestamps_that_are_not_dates_read_as_null_and_are_written_back_as_sent()
    {
        var document = new MudbaseDocument(Parse("""{"_id":"a","createdAt":12345,"updatedAt":"soon"}"""));

        Assert.Null(document.CreatedAt);
        Assert.Null(document.UpdatedAt);
        Assert.Equal("""{"_id":"a","createdAt":12345,"updatedAt":"soon"}""", document.ToString());
    }

    [Fact]
    public void A_new_document_has_no_id_and_writes_only_its_fields()
    {
        var document = new MudbaseDocument();
        document["title"] = "x";
        document["tags"] = new JsonArray("a");
        document["dueAt"] = null;

        Assert.Null(document.Id);
        Assert.Null(document.CreatedAt);
        Assert.Equal("""{"title":"x","tags":["a"],"dueAt":null}""", document.ToString());
    }

    [Fact]
    public void The_indexer_reads_fields_and_server_managed_values_and_refuses_to_set_the_latter()
    {
        var document = new MudbaseDocument(Parse(Stored));

        Assert.Equal("6650c0ffee0000000000abcd", (string?)document["_id"]);
        Assert.Equal("2030-01-02T03:04:05.678Z", (string?)document["createdAt"]);
        Assert.Null(document["missing"]);
        Assert.True((bool)document["nested"]!["unknown"]![1]!["deep"]!);

        foreach (var managed in new[] { "_id", "createdAt", "updatedAt" })
        {
            Assert.Equal("field", Assert.Throws<ArgumentException>(() => document[managed] = "x").ParamName);
        }

        Assert.Equal("field", Assert.Throws<ArgumentNullException>(() => document[null!]).ParamName);
        Assert.Equal("field", Assert.Throws<ArgumentException>(() => document[" "] = 1).ParamName);
    }

    [Fact]
    public void Changes_through_the_indexer_and_Fields_reach_the_json()
    {
        var document = new MudbaseDocument(Parse(Stored));

        document["priority"] = 3;
        document.Fields.Remove("nothing");

        Assert.Equal(
            """{"_id":"6650c0ffee0000000000abcd","createdAt":"2030-01-02T03:04:05.678Z","updatedAt":"2030-01-03T00:00:00.000Z","title":"Buy milk","priority":3,"nested":{"unknown":[1,{"deep":true}]}}""",
            document.ToString());
    }

    [Fact]
    public void The_document_is_a_copy_of_its_source_and_ToJsonObject_a_copy_of_the_document()
    {
        var source = Parse(Stored);
        var document = new MudbaseDocument(source);

        source["title"] = "changed";
        document.ToJsonObject()["priority"] = 99;

        Assert.Equal("Buy milk", (string?)document["title"]);
        Assert.Equal(2, (int?)document["priority"]);
        Assert.Equal("changed", (string?)source["title"]);
        Assert.Throws<ArgumentNullException>(() => new MudbaseDocument(null!));
    }

    [Fact]
    public void The_sdk_type_info_round_trips_a_document()
    {
        var document = JsonSerializer.Deserialize(Stored, MudbaseDocumentJsonConverter.TypeInfo)!;

        Assert.Equal("6650c0ffee0000000000abcd", document.Id);
        Assert.Equal(Stored, JsonSerializer.Serialize(document, MudbaseDocumentJsonConverter.TypeInfo));
    }

    [Fact]
    public void A_users_source_generated_context_picks_up_the_converter()
    {
        var json = """{"data":[""" + Stored + """,{"id":"b","x":[true]}]}""";

        var page = JsonSerializer.Deserialize(json, DocumentPageContext.Default.DocumentPage)!;

        Assert.Equal(["6650c0ffee0000000000abcd", "b"], page.Data.Select(document => document.Id));
        Assert.Equal(json, JsonSerializer.Serialize(page, DocumentPageContext.Default.DocumentPage));
    }

    [Theory]
    [InlineData("[1]")]
    [InlineData("\"text\"")]
    [InlineData("3")]
    public void The_converter_refuses_anything_but_an_object(string json)
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(json, MudbaseDocumentJsonConverter.TypeInfo));
    }

    [Fact]
    public void The_converter_reads_null_as_null()
    {
        Assert.Null(JsonSerializer.Deserialize("null", MudbaseDocumentJsonConverter.TypeInfo));
    }
}
