using System.Net;
using Mudbase.Emulator;

namespace Mudbase.Tests.Emulator;

/// <summary>An emulator with two collections of known documents to query.</summary>
public sealed class QueryFixture : IAsyncLifetime
{
    public MudbaseEmulator Emulator { get; private set; } = null!;

    public DataApi Api { get; private set; } = null!;

    /// <summary>Four documents a-d with nested fields, an array and a field only some have.</summary>
    public string Items { get; } = DataApi.NewName("items");

    /// <summary>25 documents with n = 1..25.</summary>
    public string Numbers { get; } = DataApi.NewName("numbers");

    public async ValueTask InitializeAsync()
    {
        Emulator = await MudbaseEmulator.StartAsync(new MudbaseEmulatorOptions { EnableRateLimits = false }, TestContext.Current.CancellationToken);
        Api = new DataApi(Emulator);
        Emulator.CreateCollection(new EmulatorCollectionOptions(Items));
        Emulator.CreateCollection(new EmulatorCollectionOptions(Numbers));
        string[] items =
        [
            """{"title":"a","n":1,"tags":["x","y"],"meta":{"priority":3,"owner":{"name":"ann"}},"status":"open"}""",
            """{"title":"b","n":2,"tags":["y"],"meta":{"priority":1,"owner":{"name":"bob"}},"status":"done"}""",
            """{"title":"c","n":3,"meta":{"priority":2},"status":"open","archived":true}""",
            """{"title":"d","n":4,"meta":{"priority":3,"owner":{"name":"cid"}},"status":"done"}""",
        ];
        foreach (var item in items)
        {
            await Api.SeedAsync(Emulator.DefaultProjectId, Items, item);
        }

        for (var n = 1; n <= 25; n++)
        {
            await Api.SeedAsync(Emulator.DefaultProjectId, Numbers, $$"""{"n":{{n}}}""");
        }
    }

    public async ValueTask DisposeAsync()
    {
        Api.Dispose();
        await Emulator.DisposeAsync();
    }
}

/// <summary>Filters, sorting, projection and paging of the document list, over plain HTTP.</summary>
public sealed class DocumentQueryTests(QueryFixture fixture) : IClassFixture<QueryFixture>
{
    private DataApi Api => fixture.Api;

    private string Project => fixture.Emulator.DefaultProjectId;

    private async Task<WireAnswer> ListAsync(string collection, string query)
    {
        var answer = await Api.ListAsync(Project, collection, Api.Key(), "?" + query);
        Assert.True(answer.Status == HttpStatusCode.OK, answer.ToString());
        return answer;
    }

    private static string Filter(string json) => "filter=" + Uri.EscapeDataString(json);

    private static string Titles(WireAnswer answer) => string.Join(",", answer.Documents.Select(d => d.GetProperty("title").GetString()));

    [Theory]
    [InlineData("""{"meta.owner.name":"bob"}""", "b")]
    [InlineData("""{"status":"open","n":3}""", "c")]
    [InlineData("""{"meta.priority":{"$eq":3}}""", "a,d")]
    [InlineData("""{"meta.owner.name":{"$ne":"bob"}}""", "a,c,d")]
    [InlineData("""{"meta.priority":{"$gt":1}}""", "a,c,d")]
    [InlineData("""{"n":{"$gte":3}}""", "c,d")]
    [InlineData("""{"meta.priority":{"$lt":3}}""", "b,c")]
    [InlineData("""{"meta.priority":{"$lte":2}}""", "b,c")]
    [InlineData("""{"n":{"$gt":1,"$lt":4}}""", "b,c")]
    [InlineData("""{"meta.owner.name":{"$in":["ann","cid"]}}""", "a,d")]
    [InlineData("""{"meta.owner.name":{"$nin":["ann","cid"]}}""", "b,c")]
    [InlineData("""{"meta.owner":{"$exists":true}}""", "a,b,d")]
    [InlineData("""{"meta.owner.name":{"$exists":false}}""", "c")]
    [InlineData("""{"archived":null}""", "a,b,d")]
    [InlineData("""{"tags":"y"}""", "a,b")]
    [InlineData("""{"tags.0":"x"}""", "a")]
    [InlineData("""{"title":{"$gt":1}}""", "")]
    [InlineData("""{"n":{"$lt":1e400,"$gt":-1e400}}""", "a,b,c,d")]
    [InlineData("""{"$and":[{"status":"open"},{"meta.priority":{"$gte":2}}]}""", "a,c")]
    [InlineData("""{"$or":[{"meta.owner.name":"bob"},{"archived":true}]}""", "b,c")]
    [InlineData("""{"$or":[{"n":1},{"$and":[{"status":"done"},{"meta.priority":{"$gt":2}}]}]}""", "a,d")]
    public async Task Each_filter_operator_works_on_dotted_paths(string filter, string expected)
    {
        var answer = await ListAsync(fixture.Items, Filter(filter) + "&sort=title");

        Assert.Equal(expected, Titles(answer));
        Assert.Equal(expected.Length == 0 ? 0 : expected.Split(',').Length, answer.Json.GetProperty("pagination").GetProperty("total").GetInt32());
    }

    [Theory]
    [InlineData("""{"title":{"$regex":"^a"}}""", "Operator $regex is not allowed")]
    [InlineData("""{"$text":{"$search":"a"}}""", "Operator $text is not allowed")]
    [InlineData("""{"$where":"this.n > 1"}""", "Operator $where is not allowed")]
    [InlineData("""{"$or":[{"title":{"$regex":"a","$options":"i"}}]}""", "Operator $regex is not allowed")]
    public async Task Regex_text_and_where_are_refused_with_400(string filter, string message)
    {
        var answer = await Api.ListAsync(Project, fixture.Items, Api.Key(), "?" + Filter(filter));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("Invalid input: Invalid query: " + message, answer.Json.GetProperty("error").GetString());
    }

    [Fact]
    public async Task A_filter_that_is_not_a_json_object_is_400()
    {
        var answer = await Api.ListAsync(Project, fixture.Items, Api.Key(), "?" + Filter("not json"));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
    }

    [Fact]
    public async Task The_objectid_rule_applies_to_filter_fields_ending_in_Id()
    {
        var empty = await Api.ListAsync(Project, fixture.Items, Api.Key(), "?" + Filter("""{"boardId":""}"""));
        var inList = await Api.ListAsync(Project, fixture.Items, Api.Key(), "?" + Filter("""{"boardId":{"$in":["abc"]}}"""));
        var nullValue = await Api.ListAsync(Project, fixture.Items, Api.Key(), "?" + Filter("""{"boardId":null}"""));

        Assert.Equal((HttpStatusCode.BadRequest, """{"error":"Invalid input: Invalid query: Invalid ObjectId format for boardId"}"""), (empty.Status, empty.Body));
        Assert.Equal(HttpStatusCode.BadRequest, inList.Status);
        Assert.Equal(HttpStatusCode.OK, nullValue.Status);
        Assert.Equal(4, nullValue.Documents.Count);
    }

    [Theory]
    [InlineData("sort=-meta.priority,title", "a,d,c,b")]
    [InlineData("sort=meta.priority%20-title", "b,c,d,a")]
    [InlineData("sort=status,-n", "d,b,c,a")]
    [InlineData("sort=meta.owner.name", "c,a,b,d")]
    [InlineData("sort=-meta.owner.name", "d,b,a,c")]
    [InlineData("", "d,c,b,a")]
    public async Task Sorting_takes_several_keys_separated_by_commas_or_spaces(string query, string expected)
    {
        var answer = await ListAsync(fixture.Items, query);

        Assert.Equal(expected, Titles(answer));
    }

    [Fact]
    public async Task A_projection_keeps_the_named_fields_and_the_id()
    {
        var answer = await ListAsync(fixture.Items, "fields=title,meta.owner.name&sort=title");

        var first = answer.Documents[0];
        Assert.Equal(["_id", "title", "meta"], first.EnumerateObject().Select(p => p.Name));
        Assert.Equal("""{"owner":{"name":"ann"}}""", first.GetProperty("meta").GetRawText());
        Assert.Matches("^[0-9a-f]{24}$", first.GetProperty("_id").GetString());
        Assert.All(answer.Documents, document => Assert.False(document.TryGetProperty("n", out _)));
    }

    [Fact]
    public async Task Paging_reports_page_limit_total_totalPages_and_hasMore()
    {
        var first = await ListAsync(fixture.Numbers, "sort=n&limit=10&page=1");
        var last = await ListAsync(fixture.Numbers, "sort=n&limit=10&page=3");
        var beyond = await ListAsync(fixture.Numbers, "sort=n&limit=10&page=4");

        Assert.Equal("""{"page":1,"limit":10,"total":25,"totalPages":3,"hasMore":true}""", first.Json.GetProperty("pagination").GetRawText());
        Assert.Equal(Enumerable.Range(1, 10), first.Documents.Select(d => d.GetProperty("n").GetInt32()));
        Assert.Equal("""{"page":3,"limit":10,"total":25,"totalPages":3,"hasMore":false}""", last.Json.GetProperty("pagination").GetRawText());
        Assert.Equal(Enumerable.Range(21, 5), last.Documents.Select(d => d.GetProperty("n").GetInt32()));
        Assert.Empty(beyond.Documents);
        Assert.False(beyond.Json.GetProperty("pagination").GetProperty("hasMore").GetBoolean());
    }

    [Fact]
    public async Task The_default_limit_is_20_and_a_larger_one_is_clamped_at_100()
    {
        var byDefault = await ListAsync(fixture.Numbers, "");
        var tooLarge = await ListAsync(fixture.Numbers, "limit=5000");
        var counting = await ListAsync(fixture.Numbers, "limit=1");

        Assert.Equal(20, byDefault.Documents.Count);
        Assert.Equal(20, byDefault.Json.GetProperty("pagination").GetProperty("limit").GetInt32());
        Assert.Equal(25, tooLarge.Documents.Count);
        Assert.Equal(100, tooLarge.Json.GetProperty("pagination").GetProperty("limit").GetInt32());
        Assert.Equal(25, counting.Json.GetProperty("pagination").GetProperty("total").GetInt32());
        Assert.True(counting.Json.GetProperty("pagination").GetProperty("hasMore").GetBoolean());
    }

    [Fact]
    public async Task A_page_of_100_is_the_most_one_answer_holds()
    {
        var name = DataApi.NewName("many");
        fixture.Emulator.CreateCollection(new EmulatorCollectionOptions(name));
        for (var i = 0; i < 120; i++)
        {
            await Api.SeedAsync(Project, name, $$"""{"i":{{i}}}""");
        }

        var answer = await ListAsync(name, "limit=1000&sort=i");

        Assert.Equal(100, answer.Documents.Count);
        Assert.Equal("""{"page":1,"limit":100,"total":120,"totalPages":2,"hasMore":true}""", answer.Json.GetProperty("pagination").GetRawText());
    }
}
