namespace Mudbase.Auth;

/// <summary>
/// Project-user authentication: <c>client.Auth</c>, the same calls as the JavaScript SDK's <c>client.auth</c>.
/// Every call that returns tokens makes them the current session, which later calls use, refresh and persist.
/// </summary>
public interface IMudbaseAuth
{
    /// <summary>The current session, or null when signed out or not yet restored (see <see cref="RestoreSessionAsync"/>).</summary>
    AuthSession? CurrentSession { get; }

    /// <summary>
    /// Raised after the session changes: signed in, refreshed, signed out, or refresh rejected. Handlers run on the
    /// thread that made the change and should return quickly.
    /// </summary>
    event EventHandler<SessionChangedEventArgs>? SessionChanged;

    /// <summary>Loads the session from the configured store once (authenticated calls do this by themselves).</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The current session, or null.</returns>
    /// <exception cref="IOException">The store could not be read.</exception>
    Task<AuthSession?> RestoreSessionAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates an anonymous (guest) session, convertible later with <see cref="ConvertAnonymousAsync"/>.</summary>
    /// <param name="request">The project and device; when null, the options' project is used.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new session, now current.</returns>
    /// <exception cref="ArgumentException">A field of <paramref name="request"/> is present but blank.</exception>
    /// <exception cref="MudbaseException">The server refused (for example <see cref="MudbaseNotFoundException"/> for an unknown project) or did not answer.</exception>
    Task<AuthSession> CreateAnonymousAsync(CreateAnonymousRequest? request = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Registers a project user. When the project requires email verification (the default) the result has
    /// <see cref="RegisterResult.RequireVerification"/> set and no tokens; otherwise it carries the new session, now current.
    /// Never re-sent after a failure that may have created the user, so an account is never created twice.
    /// </summary>
    /// <param name="request">The new user; its project, or the options' project, is required.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The registration's outcome.</returns>
    /// <exception cref="ArgumentException">A required field is missing or blank, or no project id is known.</exception>
    /// <exception cref="MudbaseException">The server refused (<see cref="MudbaseValidationException"/>, <see cref="MudbaseConflictException"/> for a taken email, …) or did not answer.</exception>
    Task<RegisterResult> RegisterAsync(RegisterRequest request, CancellationToken cancellationToken = default);

    /// <summary>Registers a project user with a role (the role's signup path, such as <c>customer</c>). Same verification rule as <see cref="RegisterAsync"/>.</summary>
    /// <param name="role">The role's signup path segment.</param>
    /// <param name="request">The new user; <see cref="RegisterWithRoleRequest.AgreedToTerms"/> must be true.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The registration's outcome, with the role.</returns>
    /// <exception cref="ArgumentException">A required field is blank, the terms are not agreed to, or no project id is known.</exception>
    /// <exception cref="MudbaseException">The server refused (<see cref="MudbaseNotFoundException"/> for an unknown role, …) or did not answer.</exception>
    Task<RegisterResult> RegisterWithRoleAsync(string role, RegisterWithRoleRequest request, CancellationToken cancellationToken = default);

    /// <summary>Signs in with email and password.</summary>
    /// <param name="request">The credentials; its project, or the options' project, is required.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new session, now current.</returns>
    /// <exception cref="MudbaseForbiddenException">The email is not verified yet (<see cref="MudbaseForbiddenException.IsEmailVerificationRequired"/>).</exception>
    /// <exception cref="MudbaseAuthenticationException">The credentials are wrong.</exception>
    Task<AuthSession> LoginAsync(LoginRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// Refreshes the current session now. Rarely needed: calls refresh by themselves when the token is about to
    /// expire. Joins a refresh already in flight rather than starting a second one.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting; a refresh already sent still completes and is kept.</param>
    /// <returns>The refreshed session, now current.</returns>
    /// <exception cref="MudbaseAuthenticationException">There is no session, or the server rejected the refresh token (the session has ended).</exception>
    Task<AuthSession> RefreshAsync(CancellationToken cancellationToken = default);

    /// <summary>Signs out: tells the server to revoke the session, and clears the local session even when that call fails.</summary>
    /// <param name="cancellationToken">Cancels the server call; the local session is cleared regardless.</param>
    /// <returns>A task that completes when the local session is cleared.</returns>
    Task LogoutAsync(CancellationToken cancellationToken = default);

    /// <summary>Asks the server who the current session belongs to.</summary>
    /// <param name="projectId">The project; when null, the options' project, if any.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The server's view: the user and whether the token is accepted.</returns>
    /// <exception cref="MudbaseAuthenticationException">There is no session, or it was rejected.</exception>
    Task<SessionInfo> GetSessionAsync(string? projectId = null, CancellationToken cancellationToken = default);

    /// <summary>Turns the current anonymous session's guest into a full account, keeping the user's id and data.</summary>
    /// <param name="request">The account's email and password.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The account's new session, now current.</returns>
    Task<AuthSession> ConvertAnonymousAsync(ConvertAnonymousRequest request, CancellationToken cancellationToken = default);

    /// <summary>Confirms an email address with the token from the verification email.</summary>
    /// <param name="token">The token from the email.</param>
    /// <param name="projectId">The project; when null, the options' project, if any.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the email is verified.</returns>
    Task VerifyEmailAsync(string token, string? projectId = null, CancellationToken cancellationToken = default);

    /// <summary>Sends the verification email again. The server answers the same whether or not the address exists.</summary>
    /// <param name="email">The address.</param>
    /// <param name="projectId">The project; when null, the options' project (one is required).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server has accepted the request.</returns>
    Task ResendVerificationAsync(string email, string? projectId = null, CancellationToken cancellationToken = default);

    /// <summary>Emails a 6-digit password-reset code. The server answers the same whether or not the address exists.</summary>
    /// <param name="email">The address.</param>
    /// <param name="projectId">The project; when null, the options' project (one is required).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server has accepted the request.</returns>
    Task RequestPasswordResetAsync(string email, string? projectId = null, CancellationToken cancellationToken = default);

    /// <summary>Sets a new password with the emailed code.</summary>
    /// <param name="request">The email, the code and the new password.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the password is changed.</returns>
    Task ConfirmPasswordResetAsync(ConfirmPasswordResetRequest request, CancellationToken cancellationToken = default);

    /// <summary>Sets a new password with the token of a (legacy) reset link.</summary>
    /// <param name="token">The token from the link.</param>
    /// <param name="newPassword">The new password.</param>
    /// <param name="projectId">The project; when null, the options' project, if any.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the password is changed.</returns>
    Task ResetPasswordAsync(string token, string newPassword, string? projectId = null, CancellationToken cancellationToken = default);

    /// <summary>Emails a sign-in link.</summary>
    /// <param name="email">The address.</param>
    /// <param name="redirectUrl">Where the link leads (your app), which receives the token; null for the server's default.</param>
    /// <param name="projectId">The project; when null, the options' project (one is required).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server has accepted the request.</returns>
    Task SendMagicLinkAsync(string email, Uri? redirectUrl = null, string? projectId = null, CancellationToken cancellationToken = default);

    /// <summary>Signs in with the token of a sign-in link.</summary>
    /// <param name="token">The token from the link.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new session, now current.</returns>
    Task<AuthSession> VerifyMagicLinkAsync(string token, CancellationToken cancellationToken = default);

    /// <summary>Sends a one-time sign-in code by email or SMS.</summary>
    /// <param name="channel">Email or SMS.</param>
    /// <param name="destination">The email address or the phone number.</param>
    /// <param name="projectId">The project; when null, the options' project (one is required).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the server has accepted the request.</returns>
    Task SendOtpAsync(OtpChannel channel, string destination, string? projectId = null, CancellationToken cancellationToken = default);

    /// <summary>Signs in with a one-time code.</summary>
    /// <param name="identifier">The email address or phone number the code was sent to.</param>
    /// <param name="otp">The code.</param>
    /// <param name="projectId">The project; when null, the options' project (one is required).</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new session, now current.</returns>
    Task<AuthSession> VerifyOtpAsync(string identifier, string otp, string? projectId = null, CancellationToken cancellationToken = default);

    /// <summary>Lists the OAuth providers the server supports.</summary>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The providers.</returns>
    Task<IReadOnlyList<OAuthProviderInfo>> GetOAuthProvidersAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Builds the URL to open in a browser to sign in with an OAuth provider. No request is made: the server
    /// redirects to the provider, and back to <paramref name="redirectUrl"/> with the tokens (see <see cref="ParseOAuthCallback"/>).
    /// </summary>
    /// <param name="provider">The provider's name, such as <c>google</c>.</param>
    /// <param name="redirectUrl">Your app's callback URL.</param>
    /// <param name="projectId">The project; when null, the options' project (one is required).</param>
    /// <returns>The URL to navigate to.</returns>
    Uri GetOAuthUrl(string provider, Uri redirectUrl, string? projectId = null);

    /// <summary>
    /// Reads the tokens from your app's OAuth callback URL (<c>?token=&amp;refreshToken=&amp;expiresIn=</c>) and signs in with
    /// them. No request is made; the user is read from the token's claims (id and email). The session is stored in the background.
    /// </summary>
    /// <param name="callbackUrl">The URL the browser was sent back to.</param>
    /// <returns>The new session, now current.</returns>
    /// <exception cref="ArgumentException">The URL carries no tokens.</exception>
    /// <exception cref="MudbaseAuthenticationException">The URL carries an <c>error</c> from the provider.</exception>
    AuthSession ParseOAuthCallback(Uri callbackUrl);
}
