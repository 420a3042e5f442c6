using Mudbase.Auth;
using Mudbase.Http;
using Refit;

namespace Mudbase.Search;

/// <summary>The search endpoints (CONTRACT.md, Search), one line each: as the view's user when signed in, else with the API key or none. Null query values are left out.</summary>
internal interface ISearchApi
{
    [Get("/api/search/projects/{projectId}/search")]
    Task<SearchAnswer> SearchAsync(
        string projectId, [AliasAs("q")] string query, string? collections, string? fields, int page, int limit,
        [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Get("/api/search/projects/{projectId}/search/suggestions")]
    Task<SuggestionsAnswer> SuggestAsync(
        string projectId, [AliasAs("q")] string prefix, int limit,
        [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);
}
