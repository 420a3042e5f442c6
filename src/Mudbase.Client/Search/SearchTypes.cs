using Mudbase.Data;

namespace Mudbase.Search;

/// <summary>What <see cref="IMudbaseSearch.SearchAsync"/> searches, and which page of the matches it returns.</summary>
public sealed class SearchOptions
{
    /// <summary>The largest page the server gives.</summary>
    public const int MaxLimit = 100;

    /// <summary>The collections to search (names or ids); null for all of them.</summary>
    public IReadOnlyList<string>? Collections { get; set; }

    /// <summary>The fields to search; null for all of them.</summary>
    public IReadOnlyList<string>? Fields { get; set; }

    /// <summary>The page, from 1.</summary>
    public int Page { get; set; } = 1;

    /// <summary>The page size: 1 to <see cref="MaxLimit"/>.</summary>
    public int Limit { get; set; } = 20;

    /// <summary>The project; when null, <see cref="MudbaseClientOptions.ProjectId"/>.</summary>
    public string? ProjectId { get; set; }

    /// <inheritdoc />
    public override string ToString() =>
        $"SearchOptions {{ Collections = [{string.Join(", ", Collections ?? [])}], Fields = [{string.Join(", ", Fields ?? [])}], Page = {Page}, Limit = {Limit}, ProjectId = {ProjectId} }}";
}

/// <summary>One page of a search's matches.</summary>
public sealed class SearchResults
{
    /// <summary>The matches on this page, best first.</summary>
    public required IReadOnlyList<SearchHit> Hits { get; init; }

    /// <summary>The page number, from 1.</summary>
    public int Page { get; init; }

    /// <summary>The page size the server applied.</summary>
    public int PageSize { get; init; }

    /// <summary>How many documents match in all.</summary>
    public long Total { get; init; }

    /// <summary>How many pages there are at this size.</summary>
    public int TotalPages { get; init; }

    /// <summary>Whether a page follows this one.</summary>
    public bool HasMore { get; init; }

    /// <summary>The query as the server read it.</summary>
    public string? Query { get; init; }

    /// <summary>How long the server took, when it says.</summary>
    public TimeSpan? SearchTime { get; init; }

    /// <inheritdoc />
    public override string ToString() => $"SearchResults {{ Query = {Query}, Hits = {Hits.Count}, Page = {Page}/{TotalPages}, Total = {Total} }}";
}

/// <summary>One matching document.</summary>
public sealed class SearchHit
{
    /// <summary>The collection it is in, as the server names it.</summary>
    public required string Collection { get; init; }

    /// <summary>The document, with all its fields (<c>score</c> included, as the server sends it).</summary>
    public required MudbaseDocument Document { get; init; }

    /// <summary>How well it matches: higher is better; 0 when the server sent no score.</summary>
    public double Score { get; init; }

    /// <summary>Per field, the matching text with the matches marked (the server uses <c>&lt;em&gt;…&lt;/em&gt;</c>); empty when there are none.</summary>
    public IReadOnlyDictionary<string, string> Highlights { get; init; } = new Dictionary<string, string>();

    /// <inheritdoc />
    public override string ToString() => $"SearchHit {{ Collection = {Collection}, Id = {Document.Id}, Score = {Score} }}";
}
