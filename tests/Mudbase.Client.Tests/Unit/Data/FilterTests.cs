using System.Text.Json.Nodes;
using Mudbase.Data;

namespace Mudbase.Tests.Unit.Data;

/// <summary>What a <see cref="Filter"/> puts on the wire (the exact JSON), how filters combine, compare and refuse.</summary>
public sealed class FilterTests
{
    private static readonly DateTimeOffset Date = new(2030, 1, 2, 3, 4, 5, 678, TimeSpan.FromHours(2));

    [Fact]
    public void Eq_writes_plain_equality_for_every_value_type()
    {
        Assert.Equal("""{"status":"open"}""", Filter.Eq("status", "open").ToString());
        Assert.Equal("""{"done":true}""", Filter.Eq("done", true).ToString());
        Assert.Equal("""{"priority":3}""", Filter.Eq("priority", 3).ToString());
        Assert.Equal("""{"views":9007199254740993}""", Filter.Eq("views", 9007199254740993L).ToString());
        Assert.Equal("""{"score":2.5}""", Filter.Eq("score", 2.5).ToString());
        Assert.Equal("""{"price":19.90}""", Filter.Eq("price", 19.90m).ToString());
        Assert.Equal("""{"dueAt":"2030-01-02T01:04:05.678Z"}""", Filter.Eq("dueAt", Date).ToString());
        Assert.Equal("""{"status":null}""", Filter.Eq("status", null).ToString());
        Assert.Equal("""{"tags":["a","b"]}""", Filter.Eq("tags", new JsonArray("a", "b")).ToString());
    }

    [Fact]
    public void Eq_with_an_object_value_uses_eq_so_its_keys_are_never_read_as_operators()
    {
        var filter = Filter.Eq("address", new JsonObject { ["city"] = "Paris" });

        Assert.Equal("""{"address":{"$eq":{"city":"Paris"}}}""", filter.ToString());
    }

    [Fact]
    public void Dates_are_written_in_utc_with_milliseconds_like_javascript()
    {
        var withTicks = new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.FromHours(-5)).AddTicks(6789);

        Assert.Equal("""{"at":{"$gte":"2030-01-02T08:04:05.000Z"}}""", Filter.Gte("at", withTicks).ToString());
    }

    [Theory]
    [InlineData("Ne", "$ne")]
    [InlineData("Gt", "$gt")]
    [InlineData("Gte", "$gte")]
    [InlineData("Lt", "$lt")]
    [InlineData("Lte", "$lte")]
    public void Comparison_operators_write_an_operator_object_for_every_value_type(string name, string op)
    {
        Func<string, string?, Filter> text;
        Func<string, bool, Filter> flag;
        Func<string, int, Filter> integer;
        Func<string, long, Filter> wide;
        Func<string, double, Filter> real;
        Func<string, decimal, Filter> money;
        Func<string, DateTimeOffset, Filter> date;
        Func<string, JsonNode?, Filter> node;
        switch (name)
        {
            case "Ne": (text, flag, integer, wide, real, money, date, node) = (Filter.Ne, Filter.Ne, Filter.Ne, Filter.Ne, Filter.Ne, Filter.Ne, Filter.Ne, Filter.Ne); break;
            case "Gt": (text, flag, integer, wide, real, money, date, node) = (Filter.Gt, Filter.Gt, Filter.Gt, Filter.Gt, Filter.Gt, Filter.Gt, Filter.Gt, Filter.Gt); break;
            case "Gte": (text, flag, integer, wide, real, money, date, node) = (Filter.Gte, Filter.Gte, Filter.Gte, Filter.Gte, Filter.Gte, Filter.Gte, Filter.Gte, Filter.Gte); break;
            case "Lt": (text, flag, integer, wide, real, money, date, node) = (Filter.Lt, Filter.Lt, Filter.Lt, Filter.Lt, Filter.Lt, Filter.Lt, Filter.Lt, Filter.Lt); break;
            default: (text, flag, integer, wide, real, money, date, node) = (Filter.Lte, Filter.Lte, Filter.Lte, Filter.Lte, Filter.Lte, Filter.Lte, Filter.Lte, Filter.Lte); break;
        }

        Assert.Equal($$$"""{"f":{"{{{op}}}":"x"}}""", text("f", "x").ToString());
        Assert.Equal($$$"""{"f":{"{{{op}}}":null}}""", text("f", null).ToString());
        Assert.Equal($$$"""{"f":{"{{{op}}}":false}}""", flag("f", false).ToString());
        Assert.Equal($$$"""{"f":{"{{{op}}}":-7}}""", integer("f", -7).ToString());
        Assert.Equal($$$"""{"f":{"{{{op}}}":5000000000}}""", wide("f", 5_000_000_000L).ToString());
        Assert.Equal($$$"""{"f":{"{{{op}}}":0.1}}""", real("f", 0.1).ToString());
        Assert.Equal($$$"""{"f":{"{{{op}}}":1.50}}""", money("f", 1.50m).ToString());
        Assert.Equal($$$"""{"f":{"{{{op}}}":"2030-01-02T01:04:05.678Z"}}""", date("f", Date).ToString());
        Assert.Equal($$$"""{"f":{"{{{op}}}":[1,2]}}""", node("f", new JsonArray(1, 2)).ToString());
    }

    [Fact]
    public void In_and_NotIn_take_params_and_sequences_of_every_value_type()
    {
        Assert.Equal("""{"status":{"$in":["open","done",null]}}""", Filter.In("status", "open", "done", null).ToString());
        Assert.Equal("""{"status":{"$in":["a"]}}""", Filter.In("status", new List<string?> { "a" }).ToString());
        Assert.Equal("""{"p":{"$in":[1,2]}}""", Filter.In("p", 1, 2).ToString());
        Assert.Equal("""{"p":{"$in":[1,2]}}""", Filter.In("p", Enumerable.Range(1, 2)).ToString());
        Assert.Equal("""{"v":{"$in":[5000000000]}}""", Filter.In("v", new[] { 5_000_000_000L }).ToString());
        Assert.Equal("""{"v":{"$in":[3]}}""", Filter.In("v", new List<long> { 3 }).ToString());
        Assert.Equal("""{"s":{"$in":[0.5,1.5]}}""", Filter.In("s", 0.5, 1.5).ToString());
        Assert.Equal("""{"s":{"$in":[2.5]}}""", Filter.In("s", new List<double> { 2.5 }).ToString());
        Assert.Equal("""{"m":{"$in":[1.0]}}""", Filter.In("m", 1.0m).ToString());
        Assert.Equal("""{"m":{"$in":[2]}}""", Filter.In("m", new List<decimal> { 2m }).ToString());
        Assert.Equal("""{"b":{"$in":[true]}}""", Filter.In("b", true).ToString());
        Assert.Equal("""{"b":{"$in":[false]}}""", Filter.In("b", new List<bool> { false }).ToString());
        Assert.Equal("""{"d":{"$in":["2030-01-02T01:04:05.678Z"]}}""", Filter.In("d", Date).ToString());
        Assert.Equal("""{"d":{"$in":["2030-01-02T01:04:05.678Z"]}}""", Filter.In("d", new List<DateTimeOffset> { Date }).ToString());
        Assert.Equal("""{"j":{"$in":[1,"a",null,{"k":true}]}}""", Filter.In("j", new JsonNode?[] { 1, "a", null, new JsonObject { ["k"] = true } }).ToString());

        Assert.Equal("""{"status":{"$nin":["spam","junk"]}}""", Filter.NotIn("status", "spam", "junk").ToString());
        Assert.Equal("""{"p":{"$nin":[1]}}""", Filter.NotIn("p", new List<int> { 1 }).ToString());
        Assert.Equal("""{"p":{"$nin":[]}}""", Filter.NotIn("p", Array.Empty<int>()).ToString());
        Assert.Equal("""{"j":{"$nin":[[1]]}}""", Filter.NotIn("j", new List<JsonNode?> { new JsonArray(1) }).ToString());
    }

    [Fact]
    public void An_empty_In_matches_nothing_and_is_sent_as_an_empty_array()
    {
        Assert.Equal("""{"p":{"$in":[]}}""", Filter.In("p", new List<string?>()).ToString());
    }

    [Fact]
    public void Exists_writes_exists()
    {
        Assert.Equal("""{"deletedAt":{"$exists":true}}""", Filter.Exists("deletedAt").ToString());
        Assert.Equal("""{"deletedAt":{"$exists":false}}""", Filter.Exists("deletedAt", exists: false).ToString());
    }

    [Fact]
    public void Dotted_paths_and_non_ascii_text_are_written_as_given()
    {
        Assert.Equal("""{"address.city":"Zoë's <café>"}""", Filter.Eq("address.city", "Zoë's <café>").ToString());
    }

    [Fact]
    public void And_puts_different_fields_side_by_side()
    {
        var filter = Filter.Eq("status", "open") & Filter.Gt("priority", 2);

        Assert.Equal("""{"status":"open","priority":{"$gt":2}}""", filter.ToString());
    }

    [Fact]
    public void And_merges_different_operators_on_one_field()
    {
        var filter = Filter.Gt("p", 1) & Filter.Lt("p", 5) & Filter.Ne("p", 3);

        Assert.Equal("""{"p":{"$gt":1,"$lt":5,"$ne":3}}""", filter.ToString());
    }

    [Fact]
    public void And_puts_clashing_conditions_into_and()
    {
        Assert.Equal("""{"p":{"$gt":1},"$and":[{"p":{"$gt":2}}]}""", (Filter.Gt("p", 1) & Filter.Gt("p", 2)).ToString());
        Assert.Equal("""{"p":1,"$and":[{"p":{"$gt":0}}]}""", (Filter.Eq("p", 1) & Filter.Gt("p", 0)).ToString());
        Assert.Equal("""{"p":{"$gt":0},"$and":[{"p":1}]}""", (Filter.Gt("p", 0) & Filter.Eq("p", 1)).ToString());
    }

    [Fact]
    public void And_of_two_ors_keeps_both()
    {
        var filter = (Filter.Eq("a", 1) | Filter.Eq("b", 2)) & (Filter.Eq("c", 3) | Filter.Eq("d", 4));

        Assert.Equal("""{"$or":[{"a":1},{"b":2}],"$and":[{"$or":[{"c":3},{"d":4}]}]}""", filter.ToString());
    }

    [Fact]
    public void And_of_and_flattens()
    {
        var nested = Filter.And(Filter.And(Filter.Eq("a", 1), Filter.Eq("b", 2)), Filter.Eq("c", 3));

        Assert.Equal("""{"a":1,"b":2,"c":3}""", nested.ToString());
        Assert.Equal(Filter.And(Filter.Eq("a", 1), Filter.Eq("b", 2), Filter.Eq("c", 3)).ToString(), nested.ToString());
    }

    [Fact]
    public void And_flattens_an_operand_that_carries_its_own_and()
    {
        var clashing = Filter.Gt("p", 1) & Filter.Gt("p", 2);

        Assert.Equal("""{"p":{"$gt":1,"$lt":9},"$and":[{"p":{"$gt":2}}]}""", (clashing & Filter.Lt("p", 9)).ToString());
    }

    [Fact]
    public void An_and_of_single_conditions_writes_what_merging_their_json_objects_one_and_at_a_time_writes()
    {
        // The reference: each condition's JSON object, merged by FilterJson.And in the same nesting as the filters were
        // combined. The filters themselves keep the conditions as a flat list and merge them only when written.
        var random = new Random(19);
        for (var run = 0; run < 3000; run++)
        {
            var (filter, expected) = RandomAnd(random, depth: 0);

            Assert.Equal(Mudbase.Data.FilterJson.Write(expected), filter.ToString());
            Assert.Equal(filter.ToString(), Mudbase.Data.FilterJson.Write(filter.Root));
        }
    }

    private static (Filter Filter, JsonObject Expected) RandomAnd(Random random, int depth)
    {
        if (depth == 3 || (depth > 0 && random.Next(2) == 0))
        {
            var field = new[] { "a", "b", "c.d" }[random.Next(3)];
            var condition = random.Next(11) switch
            {
                0 => Filter.Eq(field, random.Next(3)),
                1 => Filter.Eq(field, "x"),
                2 => Filter.Eq(field, new JsonObject { ["k"] = random.Next(2) }),
                3 => Filter.Gt(field, random.Next(3)),
                4 => Filter.Gte(field, 1.5),
                5 => Filter.Lt(field, Date),
                6 => Filter.Ne(field, (string?)null),
                7 => Filter.In(field, 1, 2),
                8 => Filter.NotIn(field, "x"),
                9 => Filter.Exists(field, random.Next(2) == 0),
                _ => Filter.Empty,
            };
            return (condition, JsonNode.Parse(condition.ToString())!.AsObject());
        }

        var operands = Enumerable.Range(0, 2 + random.Next(3)).Select(_ => RandomAnd(random, depth + 1)).ToArray();
        return (Filter.And(operands.Select(operand => operand.Filter).ToArray()),
            Mudbase.Data.FilterJson.And(operands.Select(operand => operand.Expected)));
    }

    [Fact]
    public void A_list_of_values_is_copied_so_later_changes_do_not_leak_in()
    {
        var statuses = new[] { "open", "done" };
        var priorities = new List<int> { 1 };

        var filter = Filter.In("status", statuses) & Filter.NotIn("p", priorities);
        statuses[0] = "spam";
        priorities.Add(2);

        Assert.Equal("""{"status":{"$in":["open","done"]},"p":{"$nin":[1]}}""", filter.ToString());
    }

    [Fact]
    public void Or_writes_or_and_flattens_nested_ors()
    {
        var filter = Filter.Or(Filter.Eq("a", 1) | Filter.Eq("b", 2), Filter.Eq("c", 3));

        Assert.Equal("""{"$or":[{"a":1},{"b":2},{"c":3}]}""", filter.ToString());
    }

    [Fact]
    public void Or_of_ands_keeps_each_and_as_one_alternative()
    {
        var filter = (Filter.Eq("a", 1) & Filter.Eq("b", 2)) | Filter.Eq("c", 3);

        Assert.Equal("""{"$or":[{"a":1,"b":2},{"c":3}]}""", filter.ToString());
    }

    [Fact]
    public void Or_does_not_splice_an_or_that_sits_beside_other_conditions()
    {
        var mixed = Filter.Eq("x", 0) & (Filter.Eq("a", 1) | Filter.Eq("b", 2));

        Assert.Equal("""{"$or":[{"x":0,"$or":[{"a":1},{"b":2}]},{"c":3}]}""", (mixed | Filter.Eq("c", 3)).ToString());
    }

    [Fact]
    public void A_single_operand_is_returned_as_it_is()
    {
        var filter = Filter.Eq("a", 1);

        Assert.Same(filter, Filter.And(filter));
        Assert.Same(filter, Filter.Or(filter));
    }

    [Fact]
    public void Empty_is_ignored_by_And_and_makes_Or_match_everything()
    {
        var filter = Filter.Eq("a", 1);

        Assert.Equal("{}", Filter.Empty.ToString());
        Assert.True(Filter.Empty.IsEmpty);
        Assert.False(filter.IsEmpty);
        Assert.Equal("""{"a":1}""", (Filter.Empty & filter).ToString());
        Assert.Same(Filter.Empty, filter | Filter.Empty);
    }

    [Fact]
    public void Combining_does_not_change_the_operands()
    {
        var range = Filter.Gt("p", 1);
        _ = range & Filter.Lt("p", 5);
        _ = range | Filter.Lt("p", 5);

        Assert.Equal("""{"p":{"$gt":1}}""", range.ToString());
        Assert.Equal(range.ToString(), range.ToJson());
    }

    [Fact]
    public void Filters_are_equal_when_their_json_means_the_same()
    {
        AssertEqual(Filter.Eq("a", 1) & Filter.Eq("b", 2), Filter.Eq("b", 2) & Filter.Eq("a", 1));
        AssertEqual(Filter.Gt("p", 1) & Filter.Lt("p", 5), Filter.Lt("p", 5) & Filter.Gt("p", 1));
        AssertEqual(Filter.In("a", 1, 2, 2), Filter.In("a", 2, 1));
        AssertEqual(Filter.Eq("a", 1) | Filter.Eq("b", 2), Filter.Eq("b", 2) | Filter.Eq("a", 1));
        AssertEqual(Filter.Eq("a", 1), Filter.FromJson("""{"a":{"$eq":1.0}}"""));
        AssertEqual(Filter.Eq("a", 1.5m), Filter.Eq("a", 1.5));
        AssertEqual(Filter.Eq("a", 1), Filter.Eq("a", 1));

        Assert.NotEqual(Filter.Eq("a", 1), Filter.Eq("a", "1"));
        Assert.NotEqual(Filter.Gt("a", 1), Filter.Gte("a", 1));
        Assert.NotEqual(Filter.Eq("tags", new JsonArray("a", "b")), Filter.Eq("tags", new JsonArray("b", "a")));
        Assert.False(Filter.Eq("a", 1).Equals(null));
        Assert.False(Filter.Eq("a", 1).Equals((object)"{\"a\":1}"));
    }

    private static void AssertEqual(Filter expected, Filter actual)
    {
        Assert.Equal(expected, actual);
        Assert.True(expected.Equals((object)actual));
        Assert.Equal(expected.GetHashCode(), actual.GetHashCode());
    }

    [Fact]
    public void Equal_filters_are_one_key_in_a_dictionary()
    {
        var subscriptions = new Dictionary<Filter, string> { [Filter.Eq("a", 1) & Filter.Eq("b", 2)] = "first" };

        Assert.Equal("first", subscriptions[Filter.Eq("b", 2) & Filter.Eq("a", 1)]);
    }

    [Fact]
    public void FromJson_keeps_a_valid_filter_and_copies_it()
    {
        var source = JsonNode.Parse("""{"status":"open","p":{"$gte":1,"$in":[1,2]},"$or":[{"a":{"$exists":true}},{"b":{"$nin":[null]}}],"$and":[{"c":{"$ne":1}}],"meta":{"k":[1]}}""")!.AsObject();

        var filter = Filter.FromJson(source);
        source["status"] = "changed";

        Assert.Equal("""{"status":"open","p":{"$gte":1,"$in":[1,2]},"$or":[{"a":{"$exists":true}},{"b":{"$nin":[null]}}],"$and":[{"c":{"$ne":1}}],"meta":{"k":[1]}}""", filter.ToString());
    }

    [Theory]
    [InlineData("""{"$or":[{"a":1},{"title":{"$regex":"^x"}}]}""", "$regex", "$or[1].title.$regex")]
    [InlineData("""{"$and":[{"$or":[{"a":1},{"$where":"this.a > 1"}]}]}""", "$where", "$and[0].$or[1].$where")]
    [InlineData("""{"$or":[{"$text":{"$search":"x"}}]}""", "$text", "$or[0].$text")]
    [InlineData("""{"title":{"$eq":{"$regex":"x"}}}""", "$regex", "title.$eq.$regex")]
    [InlineData("""{"meta":{"deep":[{"$where":"1"}]}}""", "$where", "meta.deep[0].$where")]
    [InlineData("""{"a":{"$elemMatch":{"b":1}}}""", "$elemMatch", "a.$elemMatch")]
    [InlineData("""{"$nor":[{"a":1}]}""", "$nor", "$nor")]
    [InlineData("""{"a":{"$not":{"$gt":1}}}""", "$not", "a.$not")]
    public void FromJson_refuses_operators_the_server_refuses_wherever_they_are(string json, string op, string path)
    {
        var fromNode = Assert.Throws<ArgumentException>(() => Filter.FromJson(JsonNode.Parse(json)!.AsObject()));
        var fromText = Assert.Throws<ArgumentException>(() => Filter.FromJson(json));

        foreach (var ex in new[] { fromNode, fromText })
        {
            Assert.Equal("filter", ex.ParamName);
            Assert.Contains(op, ex.Message, StringComparison.Ordinal);
            Assert.Contains(path, ex.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("""{"$or":[]}""")]
    [InlineData("""{"$or":{"a":1}}""")]
    [InlineData("""{"$and":[1]}""")]
    [InlineData("""{"a":{"$in":1}}""")]
    [InlineData("""{"a":{"$gt":1,"b":2}}""")]
    [InlineData("""{"":1}""")]
    [InlineData("""{"a..b":1}""")]
    [InlineData("[1]")]
    [InlineData("{not json")]
    public void FromJson_refuses_malformed_filters(string json)
    {
        var ex = Assert.Throws<ArgumentException>(() => Filter.FromJson(json));

        Assert.Equal("filter", ex.ParamName);
    }

    [Fact]
    public void FromJson_refuses_null()
    {
        Assert.Equal("filter", Assert.Throws<ArgumentNullException>(() => Filter.FromJson((JsonObject)null!)).ParamName);
        Assert.Equal("filter", Assert.Throws<ArgumentNullException>(() => Filter.FromJson((string)null!)).ParamName);
    }

    [Fact]
    public void Field_names_are_checked_naming_the_parameter()
    {
        Assert.Equal("field", Assert.Throws<ArgumentNullException>(() => Filter.Eq(null!, 1)).ParamName);
        foreach (var bad in new[] { "", "  ", "$where", "a.$b", "a..b", ".a", "a.", "a\u0001b" })
        {
            var ex = Assert.Throws<ArgumentException>(() => Filter.Gt(bad, 1));
            Assert.Equal("field", ex.ParamName);
        }

        Assert.Equal("field", Assert.Throws<ArgumentException>(() => Filter.In(" ", 1, 2)).ParamName);
        Assert.Equal("field", Assert.Throws<ArgumentException>(() => Filter.Exists("$x")).ParamName);
    }

    [Fact]
    public void Values_are_checked_naming_the_parameter()
    {
        Assert.Equal("values", Assert.Throws<ArgumentNullException>(() => Filter.In("a", (string?[])null!)).ParamName);
        Assert.Equal("values", Assert.Throws<ArgumentNullException>(() => Filter.NotIn("a", (IEnumerable<int>)null!)).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentException>(() => Filter.Gt("a", double.NaN)).ParamName);
        Assert.Equal("values", Assert.Throws<ArgumentException>(() => Filter.In("a", 1.0, double.PositiveInfinity)).ParamName);
        Assert.Equal("value", Assert.Throws<ArgumentException>(() => Filter.Eq("meta", new JsonObject { ["$gt"] = 1 })).ParamName);
        Assert.Equal("values", Assert.Throws<ArgumentException>(() => Filter.In("meta", new List<JsonNode?> { new JsonObject { ["x"] = new JsonObject { ["$regex"] = "a" } } })).ParamName);
    }

    [Fact]
    public void And_and_Or_need_at_least_one_filter_and_no_nulls()
    {
        Assert.Equal("filters", Assert.Throws<ArgumentException>(() => Filter.And()).ParamName);
        Assert.Equal("filters", Assert.Throws<ArgumentException>(() => Filter.Or()).ParamName);
        Assert.Equal("filters", Assert.Throws<ArgumentNullException>(() => Filter.And(null!)).ParamName);
        Assert.Equal("filters", Assert.Throws<ArgumentNullException>(() => Filter.Or(Filter.Eq("a", 1), null!)).ParamName);
        Assert.Equal("right", Assert.Throws<ArgumentNullException>(() => Filter.Eq("a", 1) & null!).ParamName);
        Assert.Equal("left", Assert.Throws<ArgumentNullException>(() => null! | Filter.Eq("a", 1)).ParamName);
    }

    [Fact]
    public void A_json_value_is_copied_so_later_changes_do_not_leak_in()
    {
        var tags = new JsonArray("a");

        var filter = Filter.Eq("tags", tags);
        tags.Add("b");

        Assert.Equal("""{"tags":["a"]}""", filter.ToString());
    }
}
