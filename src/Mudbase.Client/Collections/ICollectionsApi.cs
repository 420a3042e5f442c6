using Mudbase.Auth;
using Mudbase.Http;
using Refit;

namespace Mudbase.Collections;

/// <summary>
/// The schema endpoints (CONTRACT.md, Collections), one line each. Made as the view's user when signed in, else with the
/// API key or none; the writes need an org role or the key, which the server checks.
/// </summary>
internal interface ICollectionsApi
{
    [Get("/api/schemas/projects/{projectId}/collections")]
    Task<CollectionListAnswer> ListAsync(
        string projectId, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Get("/api/schemas/projects/{projectId}/collections/{collectionId}")]
    Task<CollectionAnswer> GetAsync(
        string projectId, string collectionId, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Post("/api/schemas/projects/{projectId}/collections")]
    Task<CollectionAnswer> CreateAsync(
        string projectId, [Body] CollectionBody body, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Patch("/api/schemas/projects/{projectId}/collections/{collectionId}")]
    Task<CollectionAnswer> UpdateAsync(
        string projectId, string collectionId, [Body] CollectionBody body, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session,
        CancellationToken cancellationToken);

    /// <summary>The answer's body (<c>{message}</c>) does not matter: any success will do.</summary>
    [Delete("/api/schemas/projects/{projectId}/collections/{collectionId}")]
    Task<HttpResponseMessage> DeleteAsync(
        string projectId, string collectionId, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);
}
