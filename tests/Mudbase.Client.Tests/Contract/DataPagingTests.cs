using System.Text.Json.Nodes;
using Mudbase.Data;
using Mudbase.Tests.Support;
using WireMock.RequestBuilders;
using WireMock.Server;
using static Mudbase.Tests.Support.DataFixture;

namespace Mudbase.Tests.Contract;

/// <summary>Lazy paging, counting and first-match, counted on the wire; and the argument checks that keep a request from leaving.</summary>
public sealed class DataPagingTests : IDisposable
{
    private readonly WireMockServer _server = Wire.StartServer();

    public void Dispose() => _server.Dispose();

    /// <summary>Answers <c>page=n</c> with <paramref name="answer"/>(n) for pages 1 to <paramref name="pages"/>.</summary>
    private void AnswerPages(int pages, Func<int, string> answer, TimeSpan? delayFrom2 = null)
    {
        for (var page = 1; page <= pages; page++)
        {
            var response = Wire.Json(200, answer(page));
            if (page >= 2 && delayFrom2 is { } delay)
            {
                response = response.WithDelay(delay);
            }

            _server.Given(Request.Create().WithPath(ListPath).UsingGet().WithParam("page", page.ToString(System.Globalization.CultureInfo.InvariantCulture)))
                .RespondWith(response);
        }
    }

    private List<string?> PagesRequested() => [.. _server.DataRequests().Select(r => r.QueryPairs().Single(p => p.Name == "page").Value)];

    [Fact]
    public async Task Enumerating_fetches_the_next_page_only_when_the_consumer_gets_there()
    {
        AnswerPages(3, page => CardPage(page, 3));
        using var client = _server.Client();
        var seen = new List<string?>();

        await using var e = client.Cards().PageSize(2).ToAsyncEnumerable(Wire.Ct).GetAsyncEnumerator(Wire.Ct);
        Assert.Empty(_server.Requests());
        for (var i = 0; i < 2; i++)
        {
            Assert.True(await e.MoveNextAsync());
            seen.Add(e.Current.Id);
            Assert.Equal(["1"], PagesRequested());
        }

        Assert.True(await e.MoveNextAsync());
        seen.Add(e.Current.Id);
        Assert.Equal(["1", "2"], PagesRequested());
        while (await e.MoveNextAsync())
        {
            seen.Add(e.Current.Id);
        }

        Assert.Equal([IdOf(1, 0), IdOf(1, 1), IdOf(2, 0), IdOf(2, 1), IdOf(3, 0), IdOf(3, 1)], seen);
        Assert.Equal(["1", "2", "3"], PagesRequested());
        Assert.All(_server.DataRequests(), r => Assert.Equal("2", r.QueryPairs().Single(p => p.Name == "limit").Value));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Enumerating_stops_after_the_page_that_says_nothing_follows(bool sayHasMore)
    {
        AnswerPages(4, page => CardPage(page, 3, sayHasMore: sayHasMore));
        using var client = _server.Client();

        var all = await client.Cards().ToAsyncEnumerable(Wire.Ct).ToListAsync(Wire.Ct);

        Assert.Equal(6, all.Count);
        Assert.Equal(["1", "2", "3"], PagesRequested());
    }

    [Fact]
    public async Task The_servers_hasMore_false_stops_enumerating_before_the_page_count_is_reached()
    {
        AnswerPages(3, page => ListJson([CardJson(IdOf(page, 0))], $$"""{"page":{{page}},"limit":1,"total":3,"totalPages":3,"hasMore":{{(page < 2 ? "true" : "false")}}}"""));
        using var client = _server.Client();

        var all = await client.Cards().ToAsyncEnumerable(Wire.Ct).ToListAsync(Wire.Ct);

        Assert.Equal([IdOf(1, 0), IdOf(2, 0)], all.Select(c => c.Id));
        Assert.Equal(["1", "2"], PagesRequested());
    }

    [Fact]
    public async Task An_empty_page_that_claims_more_ends_the_enumeration()
    {
        AnswerPages(3, page => ListJson([], $$"""{"page":{{page}},"limit":20,"total":50,"totalPages":3,"hasMore":true}"""));
        using var client = _server.Client();

        var all = await client.Cards().ToAsyncEnumerable(Wire.Ct).ToListAsync(Wire.Ct);

        Assert.Empty(all);
        Assert.Equal(["1"], PagesRequested());
    }

    [Fact]
    public async Task Cancelling_mid_page_stops_at_the_next_item_and_sends_nothing_more()
    {
        AnswerPages(3, page => CardPage(page, 3));
        using var client = _server.Client();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Wire.Ct);

        await using var e = client.Cards().ToAsyncEnumerable(Wire.Ct).WithCancellation(cts.Token).GetAsyncEnumerator();
        Assert.True(await e.MoveNextAsync());
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await e.MoveNextAsync());
        Assert.Equal(["1"], PagesRequested());
    }

    [Fact]
    public async Task Cancelling_while_a_page_is_in_flight_cancels_that_request_and_sends_no_other()
    {
        AnswerPages(3, page => CardPage(page, 3), delayFrom2: TimeSpan.FromSeconds(30));
        using var client = _server.Client();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Wire.Ct);

        await using var e = client.Cards().PageSize(2).ToAsyncEnumerable(cts.Token).GetAsyncEnumerator(Wire.Ct);
        Assert.True(await e.MoveNextAsync());
        Assert.True(await e.MoveNextAsync());
        var third = e.MoveNextAsync().AsTask();
        while (_server.Requests().Count < 2)
        {
            await Task.Delay(10, Wire.Ct);
        }

        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => third.WaitAsync(TimeSpan.FromSeconds(10), Wire.Ct));
        Assert.Equal(["1", "2"], PagesRequested());
    }

    [Fact]
    public async Task Count_asks_for_one_id_and_returns_the_servers_total()
    {
        _server.Answer(ListPath, Wire.Json(200, ListJson([$$"""{"_id":"{{DocumentId}}"}"""], """{"page":1,"limit":1,"total":42,"totalPages":42,"hasMore":true}""")));
        using var client = _server.Client();

        var count = await client.Cards().Where(Filter.Eq("done", false)).Select("title").PageSize(50).CountAsync(Wire.Ct);

        Assert.Equal(42, count);
        Assert.Equal([("page", "1"), ("limit", "1"), ("filter", """{"done":false}"""), ("fields", "_id")], Assert.Single(_server.DataRequests()).QueryPairs());
    }

    [Fact]
    public async Task FirstOrDefault_of_an_empty_page_is_null()
    {
        _server.Answer(ListPath, Wire.Json(200, ListJson([], """{"page":1,"limit":1,"total":0,"totalPages":0,"hasMore":false}""")));
        using var client = _server.Client();

        var first = await client.Cards().OrderBy("title").FirstOrDefaultAsync(Wire.Ct);

        Assert.Null(first);
        Assert.Equal([("page", "1"), ("limit", "1"), ("sort", "title")], Assert.Single(_server.DataRequests()).QueryPairs());
    }

    [Fact]
    public async Task FirstOrDefault_returns_the_first_match_with_the_querys_projection()
    {
        _server.Answer(ListPath, Wire.Json(200, CardPage(1, 5, perPage: 1)));
        using var client = _server.Client();

        var first = await client.Cards().Select("title").FirstOrDefaultAsync(Wire.Ct);

        Assert.Equal(IdOf(1, 0), first?.Id);
        Assert.Equal("title", Assert.Single(_server.DataRequests()).QueryPairs().Single(p => p.Name == "fields").Value);
    }

    // ---- arguments are checked before anything is sent ----

    private static readonly Dictionary<string, (string Param, Func<MudbaseClient, Task> Call)> BadArguments = new()
    {
        ["blank collection id"] = ("collectionId", c => c.Data.Collection(" ", CardJsonContext.Default.Card).GetPageAsync()),
        ["empty collection id"] = ("collectionId", c => c.Data.Collection("").GetPageAsync()),
        ["null collection id"] = ("collectionId", c => c.Data.Collection(null!).GetPageAsync()),
        ["blank project id"] = ("projectId", c => c.Data.Collection(CollectionId, " ").GetPageAsync()),
        ["blank id on get"] = ("documentId", c => c.Cards().GetAsync(" \t")),
        ["null id on get"] = ("documentId", c => c.Cards().GetAsync(null!)),
        ["blank id on update"] = ("documentId", c => c.Cards().UpdateAsync("", new JsonObject { ["done"] = true })),
        ["blank id on delete"] = ("documentId", c => c.Cards().DeleteAsync(" ")),
        ["control character in an id"] = ("documentId", c => c.Cards().DeleteAsync("abc\n")),
        ["null document"] = ("document", c => c.Cards().CreateAsync(null!)),
        ["null changes"] = ("changes", c => c.Cards().UpdateAsync(DocumentId, null!)),
        ["page size 0"] = ("limit", c => c.Cards().PageSize(0).GetPageAsync()),
        ["page size 101"] = ("limit", c => c.Cards().PageSize(101).GetPageAsync()),
        ["page 0"] = ("page", c => c.Cards().GetPageAsync(0)),
        ["page -1"] = ("page", c => c.Cards().OrderBy("title").GetPageAsync(-1)),
        ["select a blank field"] = ("fields", c => c.Cards().Select("title", " ").GetPageAsync()),
        ["select nothing"] = ("fields", c => c.Cards().Select().GetPageAsync()),
        ["select a field with a comma"] = ("fields", c => c.Cards().Select("title,priority").GetPageAsync()),
        ["order by a blank field"] = ("field", c => c.Cards().OrderBy("").GetPageAsync()),
        ["order by a field with a leading minus"] = ("field", c => c.Cards().OrderBy("-createdAt").GetPageAsync()),
        ["null filter"] = ("filter", c => c.Cards().Where((Filter)null!).GetPageAsync()),
        ["raw filter with $regex"] = ("filter", c => c.Cards().Where(Filter.FromJson("""{"title":{"$regex":"^Write"}}""")).GetPageAsync()),
        ["raw filter object with $regex nested"] = ("filter", c => c.Cards().Where(Filter.FromJson(new JsonObject
        {
            ["$or"] = new JsonArray(new JsonObject { ["done"] = true }, new JsonObject { ["title"] = new JsonObject { ["$regex"] = "x" } }),
        })).GetPageAsync()),
        ["raw filter with $where"] = ("filter", c => c.Cards().Where(Filter.FromJson("""{"$where":"this.a > 1"}""")).GetPageAsync()),
    };

    public static TheoryData<string> BadArgumentNames => [.. BadArguments.Keys];

    [Theory]
    [MemberData(nameof(BadArgumentNames))]
    public async Task A_bad_argument_throws_naming_its_parameter_and_sends_nothing(string what)
    {
        _server.AnswerAll(Wire.Json(200, CardPage(1, 1)));
        using var client = _server.Client();
        var (param, call) = BadArguments[what];

        var ex = await Record.ExceptionAsync(async () => await call(client));

        var argument = Assert.IsAssignableFrom<ArgumentException>(ex);
        Assert.Equal(param, argument.ParamName);
        Assert.Empty(_server.Requests());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ThenBy_without_OrderBy_is_refused_before_anything_is_sent(bool descending)
    {
        _server.AnswerAll(Wire.Json(200, CardPage(1, 1)));
        using var client = _server.Client();
        var query = client.Cards().Where(Filter.Eq("done", false));

        var ex = await Record.ExceptionAsync(async () =>
            await (descending ? query.ThenByDescending("title") : query.ThenBy("title")).GetPageAsync(cancellationToken: Wire.Ct));

        Assert.Contains("OrderBy", Assert.IsType<InvalidOperationException>(ex).Message, StringComparison.Ordinal);
        Assert.Empty(_server.Requests());
    }

    [Fact]
    public void The_bounds_themselves_are_accepted()
    {
        using var client = _server.Client();

        Assert.Equal(1, client.Cards().PageSize(1).Limit);
        Assert.Equal(100, client.Cards().PageSize(100).Limit);
        Assert.Empty(_server.Requests());
    }
}
