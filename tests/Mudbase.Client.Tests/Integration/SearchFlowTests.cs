using System.Text.Json.Nodes;
using Mudbase.Data;
using Mudbase.Emulator;
using Mudbase.Search;

namespace Mudbase.Tests.Integration;

/// <summary><c>client.Search</c> end to end: the emulator's scored, case-insensitive match over the documents the caller may read.</summary>
public sealed class SearchFlowTests(EmulatorFixture fixture) : IClassFixture<EmulatorFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private MudbaseEmulator Emulator => fixture.Emulator;

    /// <summary>A new project with two collections of books and notes, written with its API key; signed-in users may read the books only.</summary>
    private async Task<string> SeededProjectAsync()
    {
        var project = Emulator.CreateProject(requireEmailVerification: false);
        var books = new EmulatorCollectionOptions("books") { Fields = { new EmulatorCollectionField("title", "string") } };
        books.Permissions.Add(new EmulatorCollectionGrant("authenticated", "read"));
        Emulator.CreateCollection(books, project);
        Emulator.CreateCollection(new EmulatorCollectionOptions("notes") { Fields = { new EmulatorCollectionField("title", "string") } }, project);
        using var admin = new MudbaseClient(new MudbaseClientOptions { BaseUrl = Emulator.BaseUrl, ProjectId = project, ApiKey = Emulator.GetApiKey(project) });
        foreach (var (collection, title, author) in new[]
        {
            ("books", "Lovelace", "Ada"),
            ("books", "Notes on the Analytical Engine", "Ada Lovelace"),
            ("books", "Lovelace and Babbage, lovelace again", "Sydney Padua"),
            ("books", "Structure and Interpretation", "Abelson"),
            ("notes", "Lovelace private note", "Ada"),
        })
        {
            await admin.Data.Collection(collection).CreateAsync(new MudbaseDocument(new JsonObject { ["title"] = title, ["author"] = author }), Ct);
        }

        return project;
    }

    private MudbaseClient ClientOf(string project, bool apiKey = false) => new(new MudbaseClientOptions
    {
        BaseUrl = Emulator.BaseUrl,
        ProjectId = project,
        ApiKey = apiKey ? Emulator.GetApiKey(project) : null,
    });

    [Fact]
    public async Task Search_finds_matches_in_any_case_best_first_with_highlights()
    {
        var project = await SeededProjectAsync();
        using var client = ClientOf(project, apiKey: true);

        var results = await client.Search.SearchAsync("LOVELACE", cancellationToken: Ct);

        Assert.Equal(4, results.Total);
        Assert.Equal(["Lovelace", "Lovelace and Babbage, lovelace again"], results.Hits.Take(2).Select(h => (string?)h.Document["title"]));
        Assert.True(results.Hits.Zip(results.Hits.Skip(1)).All(pair => pair.First.Score >= pair.Second.Score));
        Assert.Equal("<em>Lovelace</em> and Babbage, <em>lovelace</em> again", results.Hits[1].Highlights["title"]);
        Assert.All(results.Hits, hit => Assert.NotNull(hit.Document.Id));
        Assert.Equal("LOVELACE", results.Query);
        Assert.NotNull(results.SearchTime);
        Assert.Contains(results.Hits, hit => hit.Collection == "notes");
    }

    [Fact]
    public async Task A_user_finds_only_what_they_may_read()
    {
        var project = await SeededProjectAsync();
        using var client = ClientOf(project);
        await client.Auth.CreateAnonymousAsync(cancellationToken: Ct);

        var results = await client.Search.SearchAsync("lovelace", cancellationToken: Ct);

        Assert.Equal(3, results.Total);
        Assert.All(results.Hits, hit => Assert.Equal("books", hit.Collection));
    }

    [Fact]
    public async Task Collections_fields_and_paging_narrow_the_search()
    {
        var project = await SeededProjectAsync();
        using var client = ClientOf(project, apiKey: true);

        var byAuthor = await client.Search.SearchAsync("ada", new SearchOptions { Collections = ["books"], Fields = ["author"] }, Ct);
        var page2 = await client.Search.SearchAsync("lovelace", new SearchOptions { Limit = 3, Page = 2 }, Ct);

        Assert.Equal(2, byAuthor.Total);
        Assert.All(byAuthor.Hits, hit => Assert.True(hit.Highlights.ContainsKey("author")));
        Assert.Equal((2, 3, 4, 2, false), (page2.Page, page2.PageSize, (int)page2.Total, page2.TotalPages, page2.HasMore));
        Assert.Single(page2.Hits);
    }

    [Fact]
    public async Task Suggestions_complete_a_prefix_from_the_documents_words()
    {
        var project = await SeededProjectAsync();
        using var client = ClientOf(project, apiKey: true);

        var suggestions = await client.Search.SuggestAsync("lo", limit: 5, cancellationToken: Ct);
        var one = await client.Search.SuggestAsync("an", limit: 1, cancellationToken: Ct);

        Assert.Equal("Lovelace", suggestions[0]);
        Assert.All(suggestions, s => Assert.StartsWith("lo", s, StringComparison.OrdinalIgnoreCase));
        Assert.Single(one);
    }

    [Fact]
    public async Task Arguments_outside_the_contract_are_refused_before_sending()
    {
        using var client = ClientOf(Emulator.DefaultProjectId, apiKey: true);
        var before = Emulator.GetStatistics();

        await Assert.ThrowsAsync<ArgumentException>(() => client.Search.SearchAsync(" ", cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.Search.SearchAsync("ada", new SearchOptions { Limit = 101 }, Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => client.Search.SuggestAsync("a", cancellationToken: Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.Search.SuggestAsync("ad", limit: 21, cancellationToken: Ct));

        Assert.Equal(before, Emulator.GetStatistics());
    }
}
