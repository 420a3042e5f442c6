namespace Mudbase.Search;

/// <summary>
/// Full-text search over a project's documents (the JavaScript SDK's <c>client.search</c>). Calls are made as the
/// signed-in user; without one, with the API key if the options have one. The server returns only what the caller may read.
/// </summary>
public interface IMudbaseSearch
{
    /// <summary>Searches the project's documents for <paramref name="query"/>, best matches first.</summary>
    /// <param name="query">What to look for: not blank.</param>
    /// <param name="options">The collections and fields to search, the page and its size, and the project; null for all collections, page 1 of 20.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>One page of matches, with the server's paging facts.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="query"/> is blank; a collection or field name is blank or holds a comma; the page is below 1;
    /// the limit is outside 1 to 100; or there is no project id. Nothing is sent.
    /// </exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task<SearchResults> SearchAsync(string query, SearchOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Suggests completions of what a user is typing, from the project's documents.</summary>
    /// <param name="prefix">What the user has typed so far: 2 to 50 characters.</param>
    /// <param name="limit">How many suggestions at most: 1 to 20.</param>
    /// <param name="projectId">The project; when null, <see cref="MudbaseClientOptions.ProjectId"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The suggestions, best first; empty when there are none.</returns>
    /// <exception cref="ArgumentException">The prefix is blank or outside 2 to 50 characters, the limit outside 1 to 20, or there is no project id. Nothing is sent.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task<IReadOnlyList<string>> SuggestAsync(string prefix, int limit = 10, string? projectId = null, CancellationToken cancellationToken = default);
}
