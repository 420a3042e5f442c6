using System.Text.Json.Nodes;

namespace Mudbase.Users;

/// <summary>
/// The signed-in user's own account (the JavaScript SDK's <c>client.users</c>): profile, password, two-factor
/// authentication, data export and erasure, and linked sign-in providers. Every call is made as the signed-in user
/// (a bearer token; the server takes no API key here): without a session it fails with a
/// <see cref="MudbaseAuthenticationException"/> before anything is sent.
/// </summary>
/// <remarks>
/// Passwords and codes given to these calls, and the 2FA secret the server returns, never appear in an exception
/// message, a log or a <c>ToString()</c>.
/// </remarks>
public interface IMudbaseUsers
{
    /// <summary>Gets the signed-in user's account (<c>GET /api/users/me</c>).</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The account as the server holds it.</returns>
    /// <exception cref="MudbaseAuthenticationException">There is no session, or the server refused it.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task<UserProfile> GetMeAsync(CancellationToken cancellationToken = default);

    /// <summary>Changes the names or avatar that <paramref name="request"/> sets. Not re-sent after an answer that may mean it was applied.</summary>
    /// <param name="request">What to change: at least one of first name, last name and avatar.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The account as stored after the change.</returns>
    /// <exception cref="ArgumentException">The request is null, changes nothing, or sets a blank value.</exception>
    /// <exception cref="MudbaseValidationException">The server refused a value; the message says why.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task<UserProfile> UpdateProfileAsync(UpdateProfileRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Changes the password. This session goes on (replaced by the new tokens when the server sends some); the
    /// server signs the user's other sessions out, so other devices must sign in again with the new password.
    /// </summary>
    /// <param name="currentPassword">The password now.</param>
    /// <param name="newPassword">The new password (the server asks for at least 8 characters).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server has changed it.</returns>
    /// <exception cref="ArgumentException">A password is blank.</exception>
    /// <exception cref="MudbaseValidationException">The current password is wrong, or the new one too weak.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task ChangePasswordAsync(string currentPassword, string newPassword, CancellationToken cancellationToken = default);

    /// <summary>
    /// Starts two-factor authentication: the server makes a TOTP secret (RFC 6238) for an authenticator app. 2FA is on
    /// only once <see cref="VerifyTwoFactorAsync"/> confirms a code from that app.
    /// </summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The secret, its QR code and its manual-entry form: show them to the user only, and keep them nowhere.</returns>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task<TwoFactorSetup> SetUpTwoFactorAsync(CancellationToken cancellationToken = default);

    /// <summary>Confirms a code from the authenticator app, which turns two-factor authentication on.</summary>
    /// <param name="code">The app's current code (6 digits).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when 2FA is on.</returns>
    /// <exception cref="ArgumentException"><paramref name="code"/> is blank.</exception>
    /// <exception cref="MudbaseValidationException">The code is wrong or expired, or no setup was started.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task VerifyTwoFactorAsync(string code, CancellationToken cancellationToken = default);

    /// <summary>Turns two-factor authentication off; the server wants the password and a current code.</summary>
    /// <param name="password">The account's password.</param>
    /// <param name="code">The authenticator app's current code.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when 2FA is off.</returns>
    /// <exception cref="ArgumentException">The password or the code is blank.</exception>
    /// <exception cref="MudbaseValidationException">The password or the code is wrong, or 2FA is not on.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task DisableTwoFactorAsync(string password, string code, CancellationToken cancellationToken = default);

    /// <summary>Sends the signed-in user another email-verification message.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server has sent it.</returns>
    /// <exception cref="MudbaseValidationException">The email is already verified.</exception>
    /// <exception cref="MudbaseRateLimitException">Too many messages lately (the server allows about 3 in 15 minutes).</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task ResendVerificationAsync(CancellationToken cancellationToken = default);

    /// <summary>Exports everything the server holds about the user (<c>{exportedAt, user, projects, files, …}</c>), as it sent it.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The export.</returns>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task<JsonObject> ExportDataAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Erases the account: the server anonymizes it and revokes all its sessions at once, on every device. This client
    /// (or view) is then signed out (<see cref="Auth.IMudbaseAuth.SessionChanged"/> says
    /// <see cref="Auth.SessionChangeReason.SignedOut"/>), even when the answer cannot be read. Never re-sent after an answer
    /// that may mean it was done.
    /// </summary>
    /// <param name="request">The confirmation (<see cref="EraseAccountRequest.ConfirmationText"/>) and the proofs the server asks for.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>What the server did.</returns>
    /// <exception cref="ArgumentException">The request is null, not confirmed, or has a blank password or code.</exception>
    /// <exception cref="MudbaseValidationException">The password or code is wrong or missing; the session is kept.</exception>
    /// <exception cref="MudbaseConflictException">The user solely owns an organization; the session is kept.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task<EraseAccountResult> EraseAccountAsync(EraseAccountRequest request, CancellationToken cancellationToken = default);

    /// <summary>Lists the sign-in providers (Google, GitHub, …) linked to the account.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The linked providers; empty when there are none.</returns>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task<IReadOnlyList<LinkedProvider>> GetLinkedProvidersAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Builds the URL that links a provider to the account: <c>GET /api/users/me/oauth-providers/link/{provider}?projectId=</c>.
    /// Nothing is sent. The server wants the user's bearer token on that request and answers with a redirect to the
    /// provider: send it from a web view or HTTP client that can set <c>Authorization</c>, with redirects off, and
    /// follow the <c>Location</c> (or the <c>redirectUrl</c> of a JSON answer) in the browser.
    /// </summary>
    /// <param name="provider">The provider, such as <c>google</c> or <c>github</c>.</param>
    /// <param name="redirectUrl">Where the server sends the browser back to afterwards (<c>redirect_url</c>); null for the project's default.</param>
    /// <returns>The absolute URL.</returns>
    /// <exception cref="ArgumentException"><paramref name="provider"/> is blank, or <paramref name="redirectUrl"/> is relative.</exception>
    /// <exception cref="InvalidOperationException">The options have no <see cref="MudbaseClientOptions.ProjectId"/>.</exception>
    Uri GetLinkProviderUrl(string provider, Uri? redirectUrl = null);

    /// <summary>Unlinks a sign-in provider from the account.</summary>
    /// <param name="provider">The provider, such as <c>google</c>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when it is unlinked.</returns>
    /// <exception cref="ArgumentException"><paramref name="provider"/> is blank.</exception>
    /// <exception cref="MudbaseValidationException">It is the account's only way to sign in.</exception>
    /// <exception cref="MudbaseException">The call failed; the exception says why.</exception>
    Task UnlinkProviderAsync(string provider, CancellationToken cancellationToken = default);
}
