using Mudbase.Auth;
using Mudbase.Diagnostics;
using Mudbase.Http;
using Mudbase.Internal;

namespace Mudbase.Roles;

/// <summary>The facade of the multi-role calls: checks, the project from the options, mapping, and the refresh after an approved elevation. No HTTP here.</summary>
internal sealed class MudbaseRoles : IMudbaseRoles
{
    private readonly IRolesApi _api;
    private readonly RefitErrorMapper _errors;
    private readonly MudbaseClientOptions _options;
    private readonly SessionManager _sessions;

    public MudbaseRoles(IRolesApi api, RefitErrorMapper errors, MudbaseClientOptions options, SessionManager sessions)
    {
        _api = api;
        _errors = errors;
        _options = options;
        _sessions = sessions;
    }

    public Task<IReadOnlyList<AppRole>> GetAvailableAsync(string? projectId = null, CancellationToken cancellationToken = default) =>
        Operation.RunAsync("mudbase.roles.get_available", this, Project(projectId), static (r, project, ct) => r._api.GetAvailableAsync(project, r._sessions, ct),
            static answer => RoleWire.ToRoles(answer.Data), cancellationToken);

    public Task<RoleConfiguration> GetConfigurationAsync(string? projectId = null, CancellationToken cancellationToken = default) =>
        Operation.RunAsync("mudbase.roles.get_configuration", this, Project(projectId), static (r, project, ct) => r._api.GetConfigurationAsync(project, r._sessions, ct),
            static answer => answer.ToConfiguration(), cancellationToken);

    public Task<PermissionsMatrix> GetPermissionsMatrixAsync(string? projectId = null, CancellationToken cancellationToken = default) =>
        Operation.RunAsync("mudbase.roles.get_permissions_matrix", this, Project(projectId), static (r, project, ct) => r._api.GetPermissionsMatrixAsync(project, r._sessions, ct),
            static answer => answer.ToMatrix(), cancellationToken);

    public Task<ElevationResult> RequestElevationAsync(string roleSlug, string? projectId = null, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(roleSlug, nameof(roleSlug));
        return Operation.RunAsync("mudbase.roles.request_elevation", this, (project: Project(projectId), roleSlug),
            static (r, a, ct) => r.RequestElevationCoreAsync(a.project, a.roleSlug, ct), cancellationToken);
    }

    public Task<IReadOnlyList<RoleElevation>> GetElevationStatusAsync(string? roleSlug = null, string? projectId = null, CancellationToken cancellationToken = default)
    {
        Guard.NullOrNotBlank(roleSlug, nameof(roleSlug));
        return Operation.RunAsync("mudbase.roles.get_elevation_status", this, (project: Project(projectId), roleSlug),
            static (r, a, ct) => r.GetElevationStatusCoreAsync(a.project, a.roleSlug, ct), cancellationToken);
    }

    public Task UploadElevationDocumentsAsync(string roleSlug, IEnumerable<ElevationDocument> documents, string? projectId = null, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(roleSlug, nameof(roleSlug));
        ArgumentNullException.ThrowIfNull(documents);
        var wire = new List<ElevationDocumentWire>();
        foreach (var document in documents)
        {
            var at = $"documents[{wire.Count}]";
            if (document is null)
            {
                throw new ArgumentNullException(at, $"{at} is null.");
            }

            Guard.NotBlank(document.Type, at + ".Type");
            if (!document.Url.IsAbsoluteUri)
            {
                throw new ArgumentException($"{at}.Url must be an absolute URL.", nameof(documents));
            }

            wire.Add(new ElevationDocumentWire { Type = document.Type, Url = document.Url.AbsoluteUri });
        }

        if (wire.Count == 0)
        {
            throw new ArgumentException("documents must hold at least one document.", nameof(documents));
        }

        var body = new ElevationDocumentsBody { RoleSlug = roleSlug, Documents = wire };
        return Operation.RunAsync("mudbase.roles.upload_elevation_documents", this, (project: Project(projectId), body),
            static (r, a, ct) => JsonAnswer.ExpectSuccessAsync(r._api.UploadElevationDocumentsAsync(a.project, a.body, r._sessions, ct), r._errors), cancellationToken);
    }

    public Uri GetOAuthSignupUrl(string role, string provider, Uri redirectUrl, string? projectId = null)
    {
        Guard.NotBlank(role, nameof(role));
        Guard.NotBlank(provider, nameof(provider));
        ArgumentNullException.ThrowIfNull(redirectUrl);
        if (!redirectUrl.IsAbsoluteUri)
        {
            throw new ArgumentException("redirectUrl must be an absolute URL.", nameof(redirectUrl));
        }

        var path = $"api/auth/oauth/signup/{Uri.EscapeDataString(role)}/{Uri.EscapeDataString(provider)}/{Uri.EscapeDataString(Project(projectId))}" +
            $"?redirect_url={Uri.EscapeDataString(redirectUrl.AbsoluteUri)}";
        return new Uri(_options.BaseUrl, path);
    }

    /// <summary>
    /// An approved elevation is refreshed into the session at once, so the new token carries the role; a refresh that fails
    /// on the network leaves the old session (the elevation itself happened, so it is not reported as failed).
    /// </summary>
    private async Task<ElevationResult> RequestElevationCoreAsync(string project, string roleSlug, CancellationToken cancellationToken)
    {
        var answer = await _api.RequestElevationAsync(project, new ElevationRequestBody { RoleSlug = roleSlug }, _sessions, cancellationToken).ConfigureAwait(false);
        var result = answer.ToResult(roleSlug);
        if (result.Status != ElevationStatus.Approved || _sessions.Current is not { } current)
        {
            return result;
        }

        var session = await RefreshIntoAsync(current, roleSlug, cancellationToken).ConfigureAwait(false);
        return answer.ToResult(roleSlug, session);
    }

    /// <summary>
    /// Asked about one role, whose newest request an admin has approved since, while the session's user does not have it
    /// yet: the session is refreshed into it, as after an elevation approved at once.
    /// </summary>
    private async Task<IReadOnlyList<RoleElevation>> GetElevationStatusCoreAsync(string project, string? roleSlug, CancellationToken cancellationToken)
    {
        var elevations = (await _api.GetElevationStatusAsync(project, roleSlug, _sessions, cancellationToken).ConfigureAwait(false)).ToElevations();
        var newest = elevations.Where(e => e.RoleSlug == roleSlug).OrderByDescending(e => e.CreatedAt).FirstOrDefault();
        if (roleSlug is not null && newest is { Status: ElevationStatus.Approved } && _sessions.Current is { } current && current.User.CustomRole != roleSlug)
        {
            await RefreshIntoAsync(current, roleSlug, cancellationToken).ConfigureAwait(false);
        }

        return elevations;
    }

    /// <summary>Refreshes the session into the role; a refresh that fails on the network keeps the old session (the role is the server's already).</summary>
    private async Task<AuthSession?> RefreshIntoAsync(AuthSession current, string roleSlug, CancellationToken cancellationToken)
    {
        try
        {
            return await _sessions.RefreshWithCustomRoleAsync(current, roleSlug, cancellationToken).ConfigureAwait(false);
        }
        catch (MudbaseException ex) when (SessionManager.IsTransient(ex))
        {
            return null;
        }
    }

    private string Project(string? projectId) => Guard.ProjectId(projectId, _options.ProjectId, nameof(projectId));
}
