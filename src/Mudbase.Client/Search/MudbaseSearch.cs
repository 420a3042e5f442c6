using Mudbase.Auth;
using Mudbase.Diagnostics;
using Mudbase.Internal;

namespace Mudbase.Search;

/// <summary>The facade of the search calls: the contract's limits checked before sending, the project from the options, mapping. No HTTP here.</summary>
internal sealed class MudbaseSearch : IMudbaseSearch
{
    /// <summary>The suggestion prefix's length, as the server accepts it.</summary>
    private const int MinPrefixLength = 2, MaxPrefixLength = 50, MaxSuggestions = 20;

    private readonly ISearchApi _api;
    private readonly MudbaseClientOptions _options;
    private readonly SessionManager _sessions;

    public MudbaseSearch(ISearchApi api, MudbaseClientOptions options, SessionManager sessions)
    {
        _api = api;
        _options = options;
        _sessions = sessions;
    }

    public Task<SearchResults> SearchAsync(string query, SearchOptions? options = null, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(query, nameof(query));
        var page = options?.Page ?? 1;
        var limit = options?.Limit ?? 20;
        if (page < 1)
        {
            throw new ArgumentOutOfRangeException("options.Page", page, "options.Page starts at 1.");
        }

        if (limit is < 1 or > SearchOptions.MaxLimit)
        {
            throw new ArgumentOutOfRangeException("options.Limit", limit, $"options.Limit must be 1 to {SearchOptions.MaxLimit}.");
        }

        var request = new SearchRequest(
            Guard.ProjectId(options?.ProjectId, _options.ProjectId, "options.ProjectId"), query,
            Csv(options?.Collections, "options.Collections"), Csv(options?.Fields, "options.Fields"), page, limit);
        return Operation.RunAsync("mudbase.search.search", this, request, static (s, r, ct) =>
            MapAsync(s._api.SearchAsync(r.ProjectId, r.Query, r.Collections, r.Fields, r.Page, r.Limit, s._sessions, ct), r), cancellationToken);
    }

    public Task<IReadOnlyList<string>> SuggestAsync(string prefix, int limit = 10, string? projectId = null, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(prefix, nameof(prefix));
        if (prefix.Length is < MinPrefixLength or > MaxPrefixLength)
        {
            throw new ArgumentException($"prefix is {prefix.Length} characters long; the server suggests for {MinPrefixLength} to {MaxPrefixLength}.", nameof(prefix));
        }

        if (limit is < 1 or > MaxSuggestions)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"limit must be 1 to {MaxSuggestions}.");
        }

        var project = Guard.ProjectId(projectId, _options.ProjectId, nameof(projectId));
        return Operation.RunAsync("mudbase.search.suggest", this, (project, prefix, limit),
            static (s, a, ct) => s._api.SuggestAsync(a.project, a.prefix, a.limit, s._sessions, ct), static answer => answer.ToList(), cancellationToken);
    }

    private static async Task<SearchResults> MapAsync(Task<SearchAnswer> call, SearchRequest request) =>
        (await call.ConfigureAwait(false)).ToResults(request.Page, request.Limit);

    /// <summary>The names as the query's comma-separated list; null (left out) for none.</summary>
    private static string? Csv(IReadOnlyList<string>? names, string paramName)
    {
        if (names is null || names.Count == 0)
        {
            return null;
        }

        for (var i = 0; i < names.Count; i++)
        {
            Guard.NotBlank(names[i], $"{paramName}[{i}]");
            if (names[i].Contains(','))
            {
                throw new ArgumentException($"{paramName}[{i}] holds a comma, which the server reads as a separator.", paramName);
            }
        }

        return string.Join(",", names);
    }

    private sealed record SearchRequest(string ProjectId, string Query, string? Collections, string? Fields, int Page, int Limit);
}
