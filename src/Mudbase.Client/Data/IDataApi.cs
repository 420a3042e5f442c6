using Mudbase.Auth;
using Mudbase.Http;
using Refit;

namespace Mudbase.Data;

/// <summary>
/// The document endpoints (CONTRACT.md, Data). Documents are the caller's own type, which Refit cannot know: the calls
/// that return one give back the response for <see cref="JsonAnswer"/> to map and parse with the caller's type info, and
/// the writes take their body already serialized. Made as the view's user when signed in, else with the API key or none.
/// </summary>
internal interface IDataApi
{
    [Get("/api/data/projects/{projectId}/collections/{collectionId}/data")]
    Task<HttpResponseMessage> ListAsync(
        string projectId, string collectionId, [Query] int page, [Query] int limit, [Query] string? sort, [Query] string? filter, [Query] string? fields,
        [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Get("/api/data/projects/{projectId}/collections/{collectionId}/data/{documentId}")]
    Task<HttpResponseMessage> GetAsync(
        string projectId, string collectionId, string documentId,
        [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Post("/api/data/projects/{projectId}/collections/{collectionId}/data")]
    Task<HttpResponseMessage> CreateAsync(
        string projectId, string collectionId, [Body] HttpContent document,
        [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Patch("/api/data/projects/{projectId}/collections/{collectionId}/data/{documentId}")]
    Task<HttpResponseMessage> UpdateAsync(
        string projectId, string collectionId, string documentId, [Body] HttpContent changes,
        [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Delete("/api/data/projects/{projectId}/collections/{collectionId}/data/{documentId}")]
    Task<HttpResponseMessage> DeleteAsync(
        string projectId, string collectionId, string documentId,
        [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);
}
