namespace Mudbase.Roles;

/// <summary>
/// App roles (the JavaScript SDK's <c>client.multiRole</c>): which roles a project offers, what each may do, and moving
/// the signed-in user to another role (an elevation). Role configuration and approval are for the project's admins
/// (the dashboard), not for this SDK.
/// </summary>
/// <remarks>
/// When an elevation comes back approved, the SDK refreshes the session at once, so the new token carries the new role
/// and <see cref="Auth.AuthSession.User"/> shows it as <see cref="Auth.MudbaseUser.CustomRole"/>;
/// <see cref="Auth.IMudbaseAuth.SessionChanged"/> says so (<see cref="Auth.SessionChangeReason.Refreshed"/>). An elevation
/// an admin approves later is refreshed into the session the same way by <see cref="GetElevationStatusAsync"/> asked
/// about that role.
/// </remarks>
public interface IMudbaseRoles
{
    /// <summary>Lists the roles a user may sign up into or ask for (a signed-in user, a guest included, is needed).</summary>
    /// <param name="projectId">The project; when null, <see cref="MudbaseClientOptions.ProjectId"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The roles, as the server orders them.</returns>
    /// <exception cref="ArgumentException"><paramref name="projectId"/> is blank, or there is no project id.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task<IReadOnlyList<AppRole>> GetAvailableAsync(string? projectId = null, CancellationToken cancellationToken = default);

    /// <summary>Gets the project's multi-role configuration: whether it is on, the default role, its settings and every role. Filter on <see cref="AppRole.IsEnabled"/> before offering a role.</summary>
    /// <param name="projectId">The project; when null, <see cref="MudbaseClientOptions.ProjectId"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The configuration.</returns>
    /// <exception cref="ArgumentException"><paramref name="projectId"/> is blank, or there is no project id.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task<RoleConfiguration> GetConfigurationAsync(string? projectId = null, CancellationToken cancellationToken = default);

    /// <summary>Gets what each role may do with each collection (readable with a project user's token).</summary>
    /// <param name="projectId">The project; when null, <see cref="MudbaseClientOptions.ProjectId"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The matrix.</returns>
    /// <exception cref="ArgumentException"><paramref name="projectId"/> is blank, or there is no project id.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task<PermissionsMatrix> GetPermissionsMatrixAsync(string? projectId = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Asks to move the signed-in user to another role. When the answer is <see cref="ElevationStatus.Approved"/>, the
    /// session is refreshed before this returns (see <see cref="ElevationResult.Session"/>). Never re-sent after an answer
    /// that may mean it was received.
    /// </summary>
    /// <param name="roleSlug">The role's slug, such as <c>vendor</c>.</param>
    /// <param name="projectId">The project; when null, <see cref="MudbaseClientOptions.ProjectId"/>.</param>
    /// <param name="cancellationToken">Cancels the call (and the wait for the refresh; the refresh itself goes on).</param>
    /// <returns>The server's decision: approved, or pending with its next steps.</returns>
    /// <exception cref="ArgumentException">The slug is blank, or there is no project id.</exception>
    /// <exception cref="MudbaseAuthenticationException">There is no session.</exception>
    /// <exception cref="MudbaseValidationException">The user has the role already, or the request is invalid.</exception>
    /// <exception cref="MudbaseForbiddenException">The role ranks too high to ask for.</exception>
    /// <exception cref="MudbaseNotFoundException">There is no such role.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task<ElevationResult> RequestElevationAsync(string roleSlug, string? projectId = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Lists the signed-in user's elevation requests. Asked about one role whose newest request is approved while the
    /// session's user does not have it yet (an admin approved it since), it also refreshes the session into that role.
    /// </summary>
    /// <param name="roleSlug">Only the requests for this role; null for all.</param>
    /// <param name="projectId">The project; when null, <see cref="MudbaseClientOptions.ProjectId"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The requests; empty when there are none.</returns>
    /// <exception cref="ArgumentException">The slug is blank (null is fine), or there is no project id.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task<IReadOnlyList<RoleElevation>> GetElevationStatusAsync(string? roleSlug = null, string? projectId = null, CancellationToken cancellationToken = default);

    /// <summary>Sends the documents a pending elevation asks for (their URLs: upload the files with Storage first).</summary>
    /// <param name="roleSlug">The role asked for.</param>
    /// <param name="documents">At least one document, each with a type and an absolute URL.</param>
    /// <param name="projectId">The project; when null, <see cref="MudbaseClientOptions.ProjectId"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server has them.</returns>
    /// <exception cref="ArgumentException">The slug is blank, there are no documents, one is null, has a blank type or a relative URL, or there is no project id.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task UploadElevationDocumentsAsync(string roleSlug, IEnumerable<ElevationDocument> documents, string? projectId = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Builds the URL that signs a new user up into <paramref name="role"/> with an OAuth provider:
    /// <c>/api/auth/oauth/signup/{role}/{provider}/{projectId}?redirect_url=</c>. Nothing is sent: open it in the
    /// browser, then read the callback with <see cref="Auth.IMudbaseAuth.ParseOAuthCallback"/>.
    /// </summary>
    /// <param name="role">The role's signup endpoint (usually its slug).</param>
    /// <param name="provider">The provider, such as <c>google</c>.</param>
    /// <param name="redirectUrl">Where the server sends the browser back to, with the tokens.</param>
    /// <param name="projectId">The project; when null, <see cref="MudbaseClientOptions.ProjectId"/>.</param>
    /// <returns>The absolute URL.</returns>
    /// <exception cref="ArgumentException">The role or provider is blank, the redirect URL is null or relative, or there is no project id.</exception>
    Uri GetOAuthSignupUrl(string role, string provider, Uri redirectUrl, string? projectId = null);
}
