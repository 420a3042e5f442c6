using System.Linq.Expressions;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Mudbase.Data;

// The predicates are translated, never run: they are written as users write them, culture and comparison included.
#pragma warning disable CA1304, CA1309, CA1311, CA1847, CA1862

namespace Mudbase.Tests.Unit.Data;

public enum Level
{
    Low,
    Medium,
    High,
}

public sealed class Todo
{
    [JsonPropertyName("_id")]
    public string Id { get; set; } = "";

    public string Title { get; set; } = "";

    public int Priority { get; set; }

    public int? Rank { get; set; }

    public bool Done { get; set; }

    public bool? Archived { get; set; }

    public string? Status { get; set; }

    public Address? Address { get; set; }

    public DateTimeOffset? DueAt { get; set; }

    public Level Level { get; set; }

    [JsonConverter(typeof(JsonStringEnumConverter<Level>))]
    public Level NamedLevel { get; set; }

    public long Views { get; set; }

    public double Score { get; set; }

    public decimal Price { get; set; }

    public List<string> Tags { get; set; } = [];

    [JsonIgnore]
    public string? Secret { get; set; }
}

public sealed class Address
{
    public string? City { get; set; }

    [JsonPropertyName("zip_code")]
    public string? Zip { get; set; }

    public GeoPoint? Geo { get; set; }
}

public sealed class GeoPoint
{
    public double Lat { get; set; }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Todo))]
internal sealed partial class TodoCamelCaseContext : JsonSerializerContext;

[JsonSerializable(typeof(Todo))]
internal sealed partial class TodoDefaultContext : JsonSerializerContext;

/// <summary>
/// <c>FilterExpression.Translate</c>: the filter JSON a typed predicate becomes, with the names the user's
/// source-generated context gives, and the message when a predicate cannot be translated.
/// </summary>
public sealed class FilterExpressionTests
{
    private static readonly DateTimeOffset Date = new(2030, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(2));

    private static string Translate(Expression<Func<Todo, bool>> predicate) =>
        FilterExpression.Translate(predicate, TodoCamelCaseContext.Default.Todo).ToString();

    private static NotSupportedException Refused(Expression<Func<Todo, bool>> predicate) =>
        Assert.Throws<NotSupportedException>(() => FilterExpression.Translate(predicate, TodoCamelCaseContext.Default.Todo));

    private sealed class Settings
    {
        public int MinPriority = 2;

        public Owner Owner { get; } = new();
    }

    private sealed class Owner
    {
        public string Name { get; set; } = "ann";
    }

    private static readonly string StaticTitle = "pinned";

    [Fact]
    public void Equality_and_inequality_use_the_contexts_json_names()
    {
        Assert.Equal("""{"title":"x"}""", Translate(t => t.Title == "x"));
        Assert.Equal("""{"_id":"abc"}""", Translate(t => t.Id == "abc"));
        Assert.Equal("""{"title":{"$ne":"x"}}""", Translate(t => t.Title != "x"));
        Assert.Equal("""{"Title":"x"}""", FilterExpression.Translate<Todo>(t => t.Title == "x", TodoDefaultContext.Default.Todo).ToString());
    }

    [Fact]
    public void Orderings_translate_to_their_operators()
    {
        Assert.Equal("""{"priority":{"$gt":2}}""", Translate(t => t.Priority > 2));
        Assert.Equal("""{"priority":{"$gte":2}}""", Translate(t => t.Priority >= 2));
        Assert.Equal("""{"priority":{"$lt":2}}""", Translate(t => t.Priority < 2));
        Assert.Equal("""{"priority":{"$lte":2}}""", Translate(t => t.Priority <= 2));
    }

    [Fact]
    public void A_value_on_the_left_flips_the_operator()
    {
        Assert.Equal("""{"priority":{"$gt":2}}""", Translate(t => 2 < t.Priority));
        Assert.Equal("""{"priority":{"$gte":2}}""", Translate(t => 2 <= t.Priority));
        Assert.Equal("""{"priority":{"$lt":2}}""", Translate(t => 2 > t.Priority));
        Assert.Equal("""{"priority":{"$lte":2}}""", Translate(t => 2 >= t.Priority));
        Assert.Equal("""{"title":"x"}""", Translate(t => "x" == t.Title));
        Assert.Equal("""{"title":{"$ne":"x"}}""", Translate(t => "x" != t.Title));
    }

    [Fact]
    public void And_and_or_combine_like_Filter_does()
    {
        Assert.Equal("""{"priority":{"$gt":1,"$lt":5}}""", Translate(t => t.Priority > 1 && t.Priority < 5));
        Assert.Equal("""{"done":false,"status":"open"}""", Translate(t => !t.Done && t.Status == "open"));
        Assert.Equal("""{"$or":[{"done":true},{"priority":{"$gt":3}}]}""", Translate(t => t.Done || t.Priority > 3));
        Assert.Equal("""{"title":"a","$or":[{"done":true},{"priority":{"$gt":3}}]}""", Translate(t => t.Title == "a" && (t.Done || t.Priority > 3)));
    }

    [Fact]
    public void Not_negates_each_condition()
    {
        Assert.Equal("""{"title":{"$ne":"x"}}""", Translate(t => !(t.Title == "x")));
        Assert.Equal("""{"title":"x"}""", Translate(t => !(t.Title != "x")));
        Assert.Equal("""{"priority":{"$lte":2}}""", Translate(t => !(t.Priority > 2)));
        Assert.Equal("""{"priority":{"$lt":2}}""", Translate(t => !(t.Priority >= 2)));
        Assert.Equal("""{"priority":{"$gte":2}}""", Translate(t => !(t.Priority < 2)));
        Assert.Equal("""{"priority":{"$gt":2}}""", Translate(t => !(t.Priority <= 2)));
        Assert.Equal("""{"done":false}""", Translate(t => !t.Done));
        Assert.Equal("""{"done":true}""", Translate(t => !!t.Done));
    }

    [Fact]
    public void Not_over_and_and_or_follows_de_morgan()
    {
        Assert.Equal("""{"$or":[{"done":false},{"priority":{"$lte":2}}]}""", Translate(t => !(t.Done && t.Priority > 2)));
        Assert.Equal("""{"done":false,"priority":{"$lte":2}}""", Translate(t => !(t.Done || t.Priority > 2)));
    }

    [Fact]
    public void A_bool_member_alone_means_true()
    {
        Assert.Equal("""{"done":true}""", Translate(t => t.Done));
        Assert.Equal("""{"done":false}""", Translate(t => t.Done == false));
        Assert.Equal("""{"archived":true}""", Translate(t => t.Archived == true));
        Assert.Equal("""{"archived":true}""", Translate(t => t.Archived!.Value));
    }

    [Fact]
    public void Null_checks_translate_to_null_equality()
    {
        Assert.Equal("""{"status":null}""", Translate(t => t.Status == null));
        Assert.Equal("""{"status":{"$ne":null}}""", Translate(t => t.Status != null));
        Assert.Equal("""{"status":null}""", Translate(t => null == t.Status));
        Assert.Equal("""{"address":{"$ne":null},"address.city":"Paris"}""", Translate(t => t.Address != null && t.Address.City == "Paris"));
    }

    [Fact]
    public void Nested_members_become_dotted_paths_with_each_levels_json_name()
    {
        Assert.Equal("""{"address.city":"Paris"}""", Translate(t => t.Address!.City == "Paris"));
        Assert.Equal("""{"address.zip_code":"75001"}""", Translate(t => t.Address!.Zip == "75001"));
        Assert.Equal("""{"address.geo.lat":{"$gt":48.5}}""", Translate(t => t.Address!.Geo!.Lat > 48.5));
    }

    [Fact]
    public void Nullable_members_read_through_Value_and_HasValue()
    {
        Assert.Equal("""{"rank":{"$gt":3}}""", Translate(t => t.Rank > 3));
        Assert.Equal("""{"rank":{"$gt":3}}""", Translate(t => t.Rank!.Value > 3));
        Assert.Equal("""{"rank":{"$ne":null}}""", Translate(t => t.Rank.HasValue));
        Assert.Equal("""{"rank":null}""", Translate(t => !t.Rank.HasValue));
        Assert.Equal("""{"rank":null}""", Translate(t => t.Rank == null));
    }

    [Fact]
    public void Captured_variables_fields_of_captured_objects_and_statics_are_read()
    {
        var min = 3;
        var settings = new Settings();
        string? missing = null;

        Assert.Equal("""{"priority":{"$gte":3}}""", Translate(t => t.Priority >= min));
        Assert.Equal("""{"priority":{"$gt":2}}""", Translate(t => t.Priority > settings.MinPriority));
        Assert.Equal("""{"title":"ann"}""", Translate(t => t.Title == settings.Owner.Name));
        Assert.Equal("""{"title":"pinned"}""", Translate(t => t.Title == StaticTitle));
        Assert.Equal("""{"status":null}""", Translate(t => t.Status == missing));

        min = 4;
        Assert.Equal("""{"priority":{"$gte":4}}""", Translate(t => t.Priority >= min));
    }

    [Fact]
    public void Captured_array_items_are_read()
    {
        var titles = new[] { "a", "b" };

        Assert.Equal("""{"title":"b"}""", Translate(t => t.Title == titles[1]));
    }

    [Fact]
    public void A_captured_bool_decides_at_translation_time()
    {
        var everything = true;
        Assert.Equal("{}", Translate(t => everything || t.Done));

        everything = false;
        Assert.Equal("""{"done":true}""", Translate(t => everything || t.Done));
        Assert.Equal("""{"done":true}""", Translate(t => !everything && t.Done));
        Assert.Equal("{}", Translate(t => true));
        Assert.Equal("""{"_id":{"$in":[]}}""", Translate(t => false));
        Assert.Equal("""{"_id":{"$in":[]}}""", Translate(t => everything && t.Done));
    }

    [Fact]
    public void Values_of_every_kind_are_written_as_the_member_holds_them()
    {
        var views = 10;
        Assert.Equal("""{"views":{"$gt":10}}""", Translate(t => t.Views > views));
        Assert.Equal("""{"views":{"$gt":5000000000}}""", Translate(t => t.Views > 5_000_000_000L));
        Assert.Equal("""{"score":{"$gte":2.5}}""", Translate(t => t.Score >= 2.5));
        Assert.Equal("""{"price":{"$lt":9.99}}""", Translate(t => t.Price < 9.99m));
        Assert.Equal("""{"dueAt":{"$lt":"2030-01-02T01:04:05.678Z"}}""", Translate(t => t.DueAt < Date));
    }

    [Fact]
    public void A_wider_value_is_not_rounded_to_the_members_type()
    {
        Assert.Equal("""{"priority":{"$gt":2.5}}""", Translate(t => t.Priority > 2.5));
    }

    [Fact]
    public void Enums_are_written_as_the_context_writes_them()
    {
        var level = Level.Medium;

        Assert.Equal("""{"level":2}""", Translate(t => t.Level == Level.High));
        Assert.Equal("""{"level":{"$ne":1}}""", Translate(t => t.Level != level));
        Assert.Equal("""{"namedLevel":"High"}""", Translate(t => t.NamedLevel == Level.High));
        Assert.Equal("""{"namedLevel":{"$in":["Low","Medium"]}}""", Translate(t => new[] { Level.Low, level }.Contains(t.NamedLevel)));
    }

    [Fact]
    public void Contains_on_a_collection_becomes_in_and_its_negation_nin()
    {
        var ids = new[] { "a", "b" };
        var priorities = new List<int> { 1, 2 };
        IEnumerable<string> statuses = new HashSet<string> { "open" };

        Assert.Equal("""{"_id":{"$in":["a","b"]}}""", Translate(t => ids.Contains(t.Id)));
        Assert.Equal("""{"priority":{"$in":[1,2]}}""", Translate(t => priorities.Contains(t.Priority)));
        Assert.Equal("""{"status":{"$in":["open"]}}""", Translate(t => statuses.Contains(t.Status)));
        Assert.Equal("""{"priority":{"$nin":[1,2]}}""", Translate(t => !priorities.Contains(t.Priority)));
        Assert.Equal("""{"priority":{"$in":[3,4]}}""", Translate(t => new[] { 3, 4 }.Contains(t.Priority)));
        Assert.Equal("""{"priority":{"$in":[5]}}""", Translate(t => new List<int> { 5 }.Contains(t.Priority)));
    }

    [Fact]
    public void Equals_calls_are_equality()
    {
        Assert.Equal("""{"title":"x"}""", Translate(t => t.Title.Equals("x")));
        Assert.Equal("""{"title":"x"}""", Translate(t => string.Equals(t.Title, "x")));
        Assert.Equal("""{"priority":{"$ne":3}}""", Translate(t => !t.Priority.Equals(3)));
    }

    [Fact]
    public void The_result_is_an_ordinary_filter()
    {
        var typed = FilterExpression.Translate<Todo>(t => t.Priority > 1 && t.Status == "open", TodoCamelCaseContext.Default.Todo);

        Assert.Equal(Filter.Eq("status", "open") & Filter.Gt("priority", 1), typed);
    }

    [Fact]
    public void Method_calls_on_members_are_refused_naming_the_call()
    {
        var ex = Refused(t => t.Title.ToLower() == "x");

        Assert.Contains("t.Title.ToLower()", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Substring_search_is_refused()
    {
        var ex = Refused(t => t.Title.Contains("x"));

        Assert.Contains("t.Title.Contains(\"x\")", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Arithmetic_is_refused_naming_the_expression()
    {
        var ex = Refused(t => t.Priority + 1 > 3);

        Assert.Contains("(t.Priority + 1)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Comparing_two_members_is_refused()
    {
        var ex = Refused(t => t.Priority > t.Views);

        Assert.Contains("two members", ex.Message, StringComparison.Ordinal);
        Assert.Contains("t.Priority", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Calls_that_make_a_value_are_refused_naming_the_call()
    {
        var ex = Refused(t => t.DueAt < Date.AddDays(1));

        Assert.Contains("AddDays(1)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("local variable", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Members_without_json_or_not_objects_are_refused()
    {
        Assert.Contains("Secret", Refused(t => t.Secret == "x").Message, StringComparison.Ordinal);
        Assert.Contains("t.Tags.Count", Refused(t => t.Tags.Count > 0).Message, StringComparison.Ordinal);
        Assert.Contains("t.Title.Length", Refused(t => t.Title.Length > 3).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_shapes_are_refused_naming_the_part()
    {
        Assert.Contains("t.Status ?? \"none\"", Refused(t => (t.Status ?? "none") == "open").Message, StringComparison.Ordinal);
        Assert.Contains("IIF", Refused(t => t.Done ? t.Priority > 1 : t.Priority > 2).Message, StringComparison.Ordinal);
        Assert.Contains("t.Tags.Any", Refused(t => t.Tags.Any(tag => tag == "x")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Arguments_are_checked()
    {
        Assert.Throws<ArgumentNullException>(() => FilterExpression.Translate(null!, TodoCamelCaseContext.Default.Todo));
        Assert.Throws<ArgumentNullException>(() => FilterExpression.Translate<Todo>(t => t.Done, null!));
    }
}
