using System.Net;
using Mudbase.Search;
using Mudbase.Tests.Support;
using WireMock.Server;

namespace Mudbase.Tests.Contract;

/// <summary><c>client.Search</c> on the wire (CONTRACT.md, Search): the query string, every answer shape it reads, errors, and the limits refused before sending.</summary>
public sealed class SearchContractTests : IDisposable
{
    private static readonly string SearchPath = $"/api/search/projects/{Wire.ProjectId}/search";
    private static readonly string SuggestPath = SearchPath + "/suggestions";

    private const string Answer = """
        {"success":true,"data":{"results":[
          {"collection":"books","item":{"_id":"6862a1f0e129932fbb7a2001","title":"Lovelace","score":10},"highlight":{"title":"<em>Lovelace</em>"}},
          {"collection":"notes","item":{"_id":"6862a1f0e129932fbb7a2002","title":"On Lovelace"},"score":1.5,"highlight":{"title":["On <em>Lovelace</em>","<em>Lovelace</em> again"]}}],
         "pagination":{"page":2,"limit":2,"total":5,"totalPages":3},"query":"lovelace","searchTime":12.5}}
        """;

    private readonly WireMockServer _server = Wire.StartServer();

    public void Dispose() => _server.Dispose();

    [Fact]
    public async Task Search_sends_its_query_with_the_options_and_leaves_out_what_is_unset()
    {
        _server.Answer(SearchPath, Wire.Json(200, Answer));
        using var client = _server.Client(o => o.ApiKey = "ak_test_key");

        await client.Search.SearchAsync("ada lovelace", new SearchOptions { Collections = ["books", "notes"], Fields = ["title"], Page = 2, Limit = 2 }, Wire.Ct);
        await client.Search.SearchAsync("ada", cancellationToken: Wire.Ct);

        var (full, plain) = (_server.Requests()[0], _server.Requests()[1]);
        Assert.Equal(("GET", SearchPath), (full.Method, full.Path));
        Assert.Equal([("q", "ada lovelace"), ("collections", "books,notes"), ("fields", "title"), ("page", "2"), ("limit", "2")], full.QueryPairs());
        Assert.Equal([("q", "ada"), ("page", "1"), ("limit", "20")], plain.QueryPairs());
        Assert.Equal("ak_test_key", full.Header("X-API-Key"));
    }

    [Fact]
    public async Task A_signed_in_search_carries_the_users_token()
    {
        _server.Answer(SearchPath, Wire.Json(200, Answer));
        using var client = await _server.SignedInClientAsync();

        await client.Search.SearchAsync("ada", cancellationToken: Wire.Ct);

        Assert.Equal("Bearer " + Bodies.AccessToken, _server.Requests()[^1].Header("Authorization"));
    }

    [Fact]
    public async Task The_answer_is_read_hit_for_hit_with_its_paging()
    {
        _server.Answer(SearchPath, Wire.Json(200, Answer));
        using var client = _server.Client();

        var results = await client.Search.SearchAsync("lovelace", new SearchOptions { Page = 2, Limit = 2 }, Wire.Ct);

        Assert.Equal((2, 2, 5L, 3, true, "lovelace"), (results.Page, results.PageSize, results.Total, results.TotalPages, results.HasMore, results.Query));
        Assert.Equal(TimeSpan.FromMilliseconds(12.5), results.SearchTime);
        Assert.Equal(("books", "6862a1f0e129932fbb7a2001", 10d), (results.Hits[0].Collection, results.Hits[0].Document.Id, results.Hits[0].Score));
        Assert.Equal("Lovelace", (string?)results.Hits[0].Document["title"]);
        Assert.Equal(1.5, results.Hits[1].Score);
        Assert.Equal("On <em>Lovelace</em> … <em>Lovelace</em> again", results.Hits[1].Highlights["title"]);
    }

    [Fact]
    public async Task An_answer_without_the_data_envelope_and_with_its_own_paging_words_is_read_too()
    {
        _server.Answer(SearchPath, Wire.Json(200, """{"results":[{"collection":"books","item":{"_id":"a1"}}],"pagination":{"page":1,"limit":20,"total":1,"pages":1},"searchTime":"7ms"}"""));
        using var client = _server.Client();

        var results = await client.Search.SearchAsync("ada", cancellationToken: Wire.Ct);

        Assert.Equal((1, false, 0d), (results.TotalPages, results.HasMore, results.Hits[0].Score));
        Assert.Equal(TimeSpan.FromMilliseconds(7), results.SearchTime);
        Assert.Empty(results.Hits[0].Highlights);
    }

    [Fact]
    public async Task Suggest_sends_its_prefix_and_limit_and_reads_both_shapes()
    {
        _server.AnswerInOrder(SuggestPath, () => Wire.Message(200, """{"suggestions":["lovelace","love"]}"""), () => Wire.Message(200, """{"success":true,"data":{"suggestions":["lo"]}}"""));
        using var client = _server.Client();

        var first = await client.Search.SuggestAsync("lo", limit: 5, cancellationToken: Wire.Ct);
        var second = await client.Search.SuggestAsync("lo", cancellationToken: Wire.Ct);

        Assert.Equal(["lovelace", "love"], first);
        Assert.Equal(["lo"], second);
        Assert.Equal([("q", "lo"), ("limit", "5")], _server.Requests()[0].QueryPairs());
        Assert.Equal([("q", "lo"), ("limit", "10")], _server.Requests()[1].QueryPairs());
    }

    [Theory]
    [InlineData("<html>502</html>")]
    [InlineData("""{"success":true,"data":{}}""")]
    [InlineData("""{"success":true,"data":{"results":{}}}""")]
    public async Task A_strange_search_answer_is_a_mudbase_exception(string body)
    {
        _server.Answer(SearchPath, Wire.Json(200, body));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseException>(() => client.Search.SearchAsync("ada", cancellationToken: Wire.Ct));

        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
        Errors.AssertNoRefitTypes(ex);
    }

    [Fact]
    public async Task A_refused_query_is_a_validation_error_with_the_servers_message()
    {
        _server.Answer(SuggestPath, Wire.Json(400, """{"error":"Search query is required"}"""));
        using var client = _server.Client();

        var ex = await Errors.ExpectAsync<MudbaseValidationException>(() => client.Search.SuggestAsync("ada", cancellationToken: Wire.Ct));

        Assert.Contains("Search query is required", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Arguments_outside_the_contracts_ranges_are_refused_before_sending()
    {
        using var client = _server.Client();

        await Assert.ThrowsAsync<ArgumentNullException>(() => client.Search.SearchAsync(null!, cancellationToken: Wire.Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Search.SearchAsync("  ", cancellationToken: Wire.Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.Search.SearchAsync("a", new SearchOptions { Limit = 0 }, Wire.Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.Search.SearchAsync("a", new SearchOptions { Limit = 101 }, Wire.Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.Search.SearchAsync("a", new SearchOptions { Page = 0 }, Wire.Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Search.SearchAsync("a", new SearchOptions { Collections = ["a,b"] }, Wire.Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Search.SearchAsync("a", new SearchOptions { Fields = [" "] }, Wire.Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Search.SuggestAsync("a", cancellationToken: Wire.Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Search.SuggestAsync(new string('a', 51), cancellationToken: Wire.Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.Search.SuggestAsync("ad", limit: 0, cancellationToken: Wire.Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.Search.SuggestAsync("ad", limit: 21, cancellationToken: Wire.Ct));
        using var noProject = _server.Client(o => o.ProjectId = null);
        await Assert.ThrowsAsync<ArgumentException>(() => noProject.Search.SuggestAsync("ad", cancellationToken: Wire.Ct));

        Assert.Empty(_server.Requests());
    }
}
