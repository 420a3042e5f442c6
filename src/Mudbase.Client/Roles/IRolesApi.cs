using Mudbase.Auth;
using Mudbase.Http;
using Refit;

namespace Mudbase.Roles;

/// <summary>
/// The multi-role endpoints (CONTRACT.md, Multi-role), one line each. The lists, configuration and matrix go as the
/// view's user when signed in, else with the API key; the elevation calls are the user's own and need one
/// (<c>[Headers("Authorization: Bearer")]</c>).
/// </summary>
internal interface IRolesApi
{
    [Get("/api/projects/{projectId}/multi-role/roles/available")]
    Task<AvailableRolesAnswer> GetAvailableAsync(string projectId, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Get("/api/projects/{projectId}/multi-role")]
    Task<RoleConfigurationAnswer> GetConfigurationAsync(string projectId, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Get("/api/projects/{projectId}/permissions-matrix")]
    Task<PermissionsMatrixAnswer> GetPermissionsMatrixAsync(string projectId, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Post("/api/projects/{projectId}/role-elevation/request")]
    [Headers("Authorization: Bearer")]
    Task<ElevationAnswer> RequestElevationAsync(
        string projectId, [Body] ElevationRequestBody body, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Get("/api/projects/{projectId}/role-elevation/status")]
    [Headers("Authorization: Bearer")]
    Task<ElevationStatusAnswer> GetElevationStatusAsync(
        string projectId, string? roleSlug, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    /// <summary>The body may be empty: any success will do.</summary>
    [Post("/api/projects/{projectId}/role-elevation/documents")]
    [Headers("Authorization: Bearer")]
    Task<HttpResponseMessage> UploadElevationDocumentsAsync(
        string projectId, [Body] ElevationDocumentsBody body, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);
}
