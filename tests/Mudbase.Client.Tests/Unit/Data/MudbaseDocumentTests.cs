using System.Buffers;
using System.Text;
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

    private static MudbaseDocument Read(string json) => JsonSerializer.Deserialize(json, MudbaseDocumentJsonConverter.TypeInfo)!;

    private static string Write(MudbaseDocument document) => JsonSerializer.Serialize(document, MudbaseDocumentJsonConverter.TypeInfo);

    [Fact]
    public void A_document_read_and_untouched_is_written_back_compact_with_its_id_and_timestamps_first_and_every_field_kept()
    {
        const string sent = """
            { "title" : "Buy milk", "unknown": {"deep": [1, 2.50, "x\u00e9\"y", null, true]},
              "updatedAt": "2030-01-03T00:00:00.000Z", "_id": "abc", "createdAt": "2030-01-02T03:04:05.678Z", "n": 1e3 }
            """;

        var document = Read(sent);
        var written = Write(document);

        Assert.Equal(
            """{"_id":"abc","createdAt":"2030-01-02T03:04:05.678Z","updatedAt":"2030-01-03T00:00:00.000Z","title":"Buy milk","unknown":{"deep":[1,2.50,"x\u00e9\"y",null,true]},"n":1e3}""",
            written);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(sent), JsonNode.Parse(written)));
        Assert.Equal("abc", document.Id);
        Assert.Equal(new DateTimeOffset(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero), document.CreatedAt);
        Assert.Equal(new DateTimeOffset(2030, 1, 3, 0, 0, 0, TimeSpan.Zero), document.UpdatedAt);
    }

    [Fact]
    public void Fields_made_on_first_use_hold_what_was_read_and_are_the_same_object_every_time()
    {
        var document = Read("""{"title":"Buy milk","_id":"abc","tags":["a"],"createdAt":"2030-01-02T03:04:05.678Z","nothing":null}""");

        var fields = document.Fields;

        Assert.Same(fields, document.Fields);
        Assert.Equal(["title", "tags", "nothing"], fields.Select(field => field.Key));
        Assert.Equal("Buy milk", (string?)fields["title"]);
        Assert.Equal("a", (string?)document["tags"]![0]);
        Assert.Equal("abc", (string?)document["_id"]);
        Assert.Equal("2030-01-02T03:04:05.678Z", (string?)document["createdAt"]);
    }

    [Fact]
    public void A_change_after_reading_is_written_back_and_the_untouched_fields_with_it()
    {
        var document = Read("""{"_id":"abc","title":"Buy milk","unknown":{"keep":[1,{"me":true}]},"priority":2,"updatedAt":"soon"}""");

        document["priority"] = 3;
        document.Fields.Remove("title");
        document.Fields["added"] = new JsonArray("x");

        Assert.Equal("""{"_id":"abc","updatedAt":"soon","unknown":{"keep":[1,{"me":true}]},"priority":3,"added":["x"]}""", Write(document));
        Assert.Equal(Write(document), document.ToString());
    }

    [Fact]
    public void ToString_and_ToJsonObject_say_the_same_before_and_after_the_fields_are_made()
    {
        const string sent = """{"updatedAt":"2030-01-03T00:00:00.000Z","title":"caf\u00e9","_id":"abc","n":1.50}""";
        var untouched = Read(sent);
        var touched = Read(sent);
        _ = touched.Fields;

        Assert.Equal("""{"_id":"abc","updatedAt":"2030-01-03T00:00:00.000Z","title":"café","n":1.50}""", untouched.ToString());
        Assert.Equal(untouched.ToString(), touched.ToString());
        Assert.True(JsonNode.DeepEquals(untouched.ToJsonObject(), touched.ToJsonObject()));
        Assert.Equal(["_id", "updatedAt", "title", "n"], untouched.ToJsonObject().Select(member => member.Key));

        var copy = untouched.ToJsonObject();
        copy["title"] = "changed";
        Assert.Equal("café", (string?)untouched["title"]);
    }

    [Fact]
    public void The_converter_reads_the_id_from_id_when_underscore_id_is_null_or_absent_and_keeps_the_other_as_a_field()
    {
        var fallback = Read("""{"_id":null,"id":"abc","x":1}""");
        var both = Read("""{"id":42,"_id":"abc"}""");
        var numeric = Read("""{"_id":42}""");
        var none = Read("""{"x":1}""");

        Assert.Equal("abc", fallback.Id);
        Assert.Equal("""{"id":"abc","_id":null,"x":1}""", Write(fallback));
        Assert.True(fallback.Fields.ContainsKey("_id"));
        Assert.Equal("abc", both.Id);
        Assert.Equal("""{"_id":"abc","id":42}""", Write(both));
        Assert.Equal(42, (int?)both["id"]);
        Assert.Equal("42", numeric.Id);
        Assert.Equal("""{"_id":42}""", Write(numeric));
        Assert.Null(none.Id);
        Assert.Equal("""{"x":1}""", Write(none));
    }

    [Theory]
    [InlineData("\"2030-01-02T03:04:05.678Z\"", "2030-01-02T03:04:05.6780000+00:00")]
    [InlineData("\"2030-01-02T03:04:05Z\"", "2030-01-02T03:04:05.0000000+00:00")]
    [InlineData("\"2030-01-02T03:04:05.678+02:00\"", "2030-01-02T03:04:05.6780000+02:00")]
    [InlineData("\"2030-01-02\"", "2030-01-02T00:00:00.0000000+00:00")]
    [InlineData("\"2030\\u002d01-02T03:04:05.678Z\"", "2030-01-02T03:04:05.6780000+00:00")]
    [InlineData("\"2030-13-02T03:04:05.678Z\"", null)]
    [InlineData("\"soon\"", null)]
    [InlineData("12345", null)]
    [InlineData("null", null)]
    [InlineData("{\"at\":1}", null)]
    public void The_converter_reads_timestamps_as_the_document_does_and_writes_them_back_as_sent(string value, string? expected)
    {
        var json = $$"""{"_id":"a","createdAt":{{value}},"updatedAt":{{value}}}""";

        var document = Read(json);

        Assert.Equal(expected, document.CreatedAt?.ToString("O"));
        Assert.Equal(expected, document.UpdatedAt?.ToString("O"));
        Assert.Equal(json, Write(document));
        Assert.Equal(expected, new MudbaseDocument(Parse(json)).CreatedAt?.ToString("O"));
    }

    [Fact]
    public void A_null_timestamp_survives_the_round_trip_whether_or_not_the_fields_were_used()
    {
        const string json = """{"_id":"a","createdAt":null,"x":1}""";
        var touched = Read(json);
        _ = touched.Fields;

        Assert.Equal(json, Write(Read(json)));
        Assert.Equal(json, Write(touched));
        Assert.Equal(json, new MudbaseDocument(Parse(json)).ToString());
        Assert.False(touched.Fields.ContainsKey("createdAt"));
    }

    [Fact]
    public void A_name_twice_at_the_top_is_refused_when_read_and_allowed_deeper_down()
    {
        var many = string.Join(",", Enumerable.Range(0, 100).Select(i => $"\"f{i}\":{i}"));

        Assert.Contains("\"title\" twice", Assert.Throws<JsonException>(() => Read("""{"_id":"a","title":1,"title":2}""")).Message);
        Assert.Throws<JsonException>(() => Read("""{"_id":"a","_id":"b"}"""));
        Assert.Throws<JsonException>(() => Read("""{"_id":"a","\u005fid":"b"}"""));
        Assert.Throws<JsonException>(() => Read("{" + many + ",\"f7\":0}"));
        Assert.Equal(100, Read("{" + many + "}").Fields.Count);
        Assert.Equal("""{"a":{"b":1,"b":2}}""", Write(Read("""{"a":{"b":1,"b":2}}""")));
    }

    [Fact]
    public void A_document_split_across_buffers_reads_the_same_as_one_in_one_piece()
    {
        const string json = """{"title":"x\u00e9y","_id":"abcdefghijklmnop","n":12345.678,"deep":{"list":[true,false,null,"long text here"]},"createdAt":"2030-01-02T03:04:05.678Z"}""";
        var bytes = Encoding.UTF8.GetBytes(json);
        var reader = new Utf8JsonReader(Split(bytes, 3));

        var document = JsonSerializer.Deserialize(ref reader, MudbaseDocumentJsonConverter.TypeInfo)!;

        Assert.Equal(Write(Read(json)), Write(document));
        Assert.Equal("abcdefghijklmnop", document.Id);
        Assert.Equal(new DateTimeOffset(2030, 1, 2, 3, 4, 5, 678, TimeSpan.Zero), document.CreatedAt);
    }

    [Fact]
    public void Indented_options_indent_a_document_held_as_read()
    {
        var indented = new DocumentPageContext(new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true });
        var page = new DocumentPage { Data = [Read("""{"_id":"a","x":[1]}""")] };

        var written = JsonSerializer.Serialize(page, indented.DocumentPage);

        Assert.Contains("\n      \"x\": [", written);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"data":[{"_id":"a","x":[1]}]}"""), JsonNode.Parse(written)));
    }

    private static ReadOnlySequence<byte> Split(byte[] bytes, int size)
    {
        Segment? first = null, last = null;
        for (var i = 0; i < bytes.Length; i += size)
        {
            var segment = new Segment(bytes.AsMemory(i, Math.Min(size, bytes.Length - i)), last);
            first ??= segment;
            last = segment;
        }

        return new ReadOnlySequence<byte>(first!, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, Segment? previous)
        {
            Memory = memory;
            if (previous is not null)
            {
                RunningIndex = previous.RunningIndex + previous.Memory.Length;
                previous.Next = this;
            }
        }
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
