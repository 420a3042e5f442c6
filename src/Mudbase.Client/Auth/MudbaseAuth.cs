using System.Globalization;
using System.Text.Json;
using Mudbase.Diagnostics;
using Mudbase.Internal;

namespace Mudbase.Auth;

/// <summary>
/// The facade of the auth calls: argument checks, defaults from the options, mapping to public results and
/// handing new tokens to the session. No HTTP here.
/// </summary>
internal sealed class MudbaseAuth : IMudbaseAuth
{
    private readonly IAuthApi _api;
    private readonly MudbaseClientOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly SessionManager _sessions;

    public MudbaseAuth(IAuthApi api, MudbaseClientOptions options, TimeProvider timeProvider, SessionManager sessions)
    {
        _api = api;
        _options = options;
        _timeProvider = timeProvider;
        _sessions = sessions;
        _sessions.Owner = this;
        _sessions.Refresher = RefreshTokensAsync;
    }

    public AuthSession? CurrentSession => _sessions.Current;

    public event EventHandler<SessionChangedEventArgs>? SessionChanged
    {
        add => _sessions.Changed += value;
        remove => _sessions.Changed -= value;
    }

    public async Task<AuthSession?> RestoreSessionAsync(CancellationToken cancellationToken = default)
    {
        await _sessions.RestoreAsync(cancellationToken).ConfigureAwait(false);
        return _sessions.Current;
    }

    public Task<AuthSession> CreateAnonymousAsync(CreateAnonymousRequest? request = null, CancellationToken cancellationToken = default)
    {
        Guard.NullOrNotBlank(request?.ProjectId, "request.ProjectId");
        Guard.NullOrNotBlank(request?.DeviceId, "request.DeviceId");
        var body = new AnonymousRequestBody { ProjectId = request?.ProjectId ?? _options.ProjectId, DeviceId = request?.DeviceId };
        return Operation.RunAsync("mudbase.auth.create_anonymous", this, body,
            static (auth, body, ct) => auth.SignInAsync(auth._api.CreateAnonymousAsync(body, ct), ct), cancellationToken);
    }

    public Task<RegisterResult> RegisterAsync(RegisterRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = RegisterBody(request.Email, request.Password, request.FirstName, request.LastName, request.ProjectId, agreedToTerms: null);
        return Operation.RunAsync("mudbase.auth.register", this, body,
            static (auth, body, ct) => auth.ToRegisterResultAsync(auth._api.RegisterAsync(body, ct), ct), cancellationToken);
    }

    public Task<RegisterResult> RegisterWithRoleAsync(string role, RegisterWithRoleRequest request, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(role, nameof(role));
        ArgumentNullException.ThrowIfNull(request);
        if (!request.AgreedToTerms)
        {
            throw new ArgumentException("request.AgreedToTerms must be true: the server only accepts sign-ups that agree to the terms.", "request.AgreedToTerms");
        }

        var body = RegisterBody(request.Email, request.Password, request.FirstName, request.LastName, request.ProjectId, agreedToTerms: true);
        return Operation.RunAsync("mudbase.auth.register_with_role", this, (role, body),
            static (auth, arg, ct) => auth.ToRegisterResultAsync(auth._api.RegisterWithRoleAsync(arg.role, arg.body, ct), ct), cancellationToken);
    }

    public Task<AuthSession> LoginAsync(LoginRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Guard.NotBlank(request.Email, "request.Email");
        Guard.NotBlank(request.Password, "request.Password");
        var body = new LoginRequestBody { Email = request.Email, Password = request.Password, ProjectId = RequireProjectId(request.ProjectId, "request.ProjectId") };
        return Operation.RunAsync("mudbase.auth.login", this, body,
            static (auth, body, ct) => auth.SignInAsync(auth._api.LoginAsync(body, ct), ct), cancellationToken);
    }

    public Task<AuthSession> RefreshAsync(CancellationToken cancellationToken = default) =>
        Operation.RunAsync("mudbase.auth.refresh", this, static (auth, ct) => auth.RefreshCurrentAsync(ct), cancellationToken);

    public Task LogoutAsync(CancellationToken cancellationToken = default) =>
        Operation.RunAsync("mudbase.auth.logout", this, static (auth, ct) => auth.SignOutAsync(ct), cancellationToken);

    public Task<SessionInfo> GetSessionAsync(string? projectId = null, CancellationToken cancellationToken = default)
    {
        Guard.NullOrNotBlank(projectId, nameof(projectId));
        return Operation.RunAsync("mudbase.auth.get_session", this, projectId ?? _options.ProjectId,
            static (auth, project, ct) => auth._api.GetSessionAsync(project, auth._sessions, ct),
            static response => new SessionInfo(response.Authenticated, response.User), cancellationToken);
    }

    public Task<AuthSession> ConvertAnonymousAsync(ConvertAnonymousRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Guard.NotBlank(request.Email, "request.Email");
        Guard.NotBlank(request.Password, "request.Password");
        Guard.NullOrNotBlank(request.FirstName, "request.FirstName");
        Guard.NullOrNotBlank(request.LastName, "request.LastName");
        var body = new ConvertRequestBody { Email = request.Email, Password = request.Password, FirstName = request.FirstName, LastName = request.LastName };
        return Operation.RunAsync("mudbase.auth.convert_anonymous", this, body,
            static (auth, body, ct) => auth.SignInAsync(auth._api.ConvertAnonymousAsync(body, auth._sessions, ct), ct), cancellationToken);
    }

    public Task VerifyEmailAsync(string token, string? projectId = null, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(token, nameof(token), Guard.MaxTokenLength);
        Guard.NullOrNotBlank(projectId, nameof(projectId));
        var body = new VerifyEmailRequestBody { Token = token, ProjectId = projectId ?? _options.ProjectId };
        return Operation.RunAsync("mudbase.auth.verify_email", _api, body, static (api, body, ct) => api.VerifyEmailAsync(body, ct), cancellationToken);
    }

    public Task ResendVerificationAsync(string email, string? projectId = null, CancellationToken cancellationToken = default)
    {
        var body = EmailProjectBody(email, projectId);
        return Operation.RunAsync("mudbase.auth.resend_verification", _api, body, static (api, body, ct) => api.ResendVerificationAsync(body, ct), cancellationToken);
    }

    public Task RequestPasswordResetAsync(string email, string? projectId = null, CancellationToken cancellationToken = default)
    {
        var body = EmailProjectBody(email, projectId);
        return Operation.RunAsync("mudbase.auth.request_password_reset", _api, body, static (api, body, ct) => api.RequestPasswordResetAsync(body, ct), cancellationToken);
    }

    public Task ConfirmPasswordResetAsync(ConfirmPasswordResetRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Guard.NotBlank(request.Email, "request.Email");
        Guard.NotBlank(request.Otp, "request.Otp");
        Guard.NotBlank(request.NewPassword, "request.NewPassword");
        var body = new ConfirmPasswordResetRequestBody
        {
            Email = request.Email,
            Otp = request.Otp,
            NewPassword = request.NewPassword,
            ProjectId = RequireProjectId(request.ProjectId, "request.ProjectId"),
        };
        return Operation.RunAsync("mudbase.auth.confirm_password_reset", _api, body, static (api, body, ct) => api.ConfirmPasswordResetAsync(body, ct), cancellationToken);
    }

    public Task ResetPasswordAsync(string token, string newPassword, string? projectId = null, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(token, nameof(token), Guard.MaxTokenLength);
        Guard.NotBlank(newPassword, nameof(newPassword));
        Guard.NullOrNotBlank(projectId, nameof(projectId));
        var body = new ResetPasswordRequestBody { Password = newPassword, ProjectId = projectId ?? _options.ProjectId };
        return Operation.RunAsync("mudbase.auth.reset_password", _api, (token, body),
            static (api, arg, ct) => api.ResetPasswordAsync(arg.token, arg.body, ct), cancellationToken);
    }

    public Task SendMagicLinkAsync(string email, Uri? redirectUrl = null, string? projectId = null, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(email, nameof(email));
        if (redirectUrl is { IsAbsoluteUri: false })
        {
            throw new ArgumentException("redirectUrl must be an absolute URL.", nameof(redirectUrl));
        }

        var body = new SendMagicLinkRequestBody { Email = email, ProjectId = RequireProjectId(projectId, nameof(projectId)), RedirectUrl = redirectUrl?.AbsoluteUri };
        return Operation.RunAsync("mudbase.auth.send_magic_link", _api, body, static (api, body, ct) => api.SendMagicLinkAsync(body, ct), cancellationToken);
    }

    public Task<AuthSession> VerifyMagicLinkAsync(string token, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(token, nameof(token), Guard.MaxTokenLength);
        return Operation.RunAsync("mudbase.auth.verify_magic_link", this, new TokenRequestBody { Token = token },
            static (auth, body, ct) => auth.SignInAsync(auth._api.VerifyMagicLinkAsync(body, ct), ct), cancellationToken);
    }

    public Task SendOtpAsync(OtpChannel channel, string destination, string? projectId = null, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(destination, nameof(destination));
        var project = RequireProjectId(projectId, nameof(projectId));
        var body = channel switch
        {
            OtpChannel.Email => new SendOtpRequestBody { ProjectId = project, Method = "email", Email = destination },
            OtpChannel.Sms => new SendOtpRequestBody { ProjectId = project, Method = "sms", Phone = destination },
            _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "Use OtpChannel.Email or OtpChannel.Sms."),
        };
        return Operation.RunAsync("mudbase.auth.send_otp", _api, body, static (api, body, ct) => api.SendOtpAsync(body, ct), cancellationToken);
    }

    public Task<AuthSession> VerifyOtpAsync(string identifier, string otp, string? projectId = null, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(identifier, nameof(identifier));
        Guard.NotBlank(otp, nameof(otp));
        var body = new VerifyOtpRequestBody { Identifier = identifier, Otp = otp, ProjectId = RequireProjectId(projectId, nameof(projectId)) };
        return Operation.RunAsync("mudbase.auth.verify_otp", this, body,
            static (auth, body, ct) => auth.SignInAsync(auth._api.VerifyOtpAsync(body, ct), ct), cancellationToken);
    }

    public Task<IReadOnlyList<OAuthProviderInfo>> GetOAuthProvidersAsync(CancellationToken cancellationToken = default) =>
        Operation.RunAsync("mudbase.auth.get_oauth_providers", _api, 0, static (api, _, ct) => api.GetOAuthProvidersAsync(ct),
            static IReadOnlyList<OAuthProviderInfo> (response) => response.Providers ?? [], cancellationToken);

    public Uri GetOAuthUrl(string provider, Uri redirectUrl, string? projectId = null)
    {
        Guard.NotBlank(provider, nameof(provider));
        ArgumentNullException.ThrowIfNull(redirectUrl);
        if (!redirectUrl.IsAbsoluteUri)
        {
            throw new ArgumentException("redirectUrl must be an absolute URL.", nameof(redirectUrl));
        }

        var project = RequireProjectId(projectId, nameof(projectId));
        var path = $"api/auth/oauth/{Uri.EscapeDataString(provider)}/{Uri.EscapeDataString(project)}?redirect_url={Uri.EscapeDataString(redirectUrl.AbsoluteUri)}";
        return new Uri(_options.BaseUrl, path);
    }

    public AuthSession ParseOAuthCallback(Uri callbackUrl)
    {
        ArgumentNullException.ThrowIfNull(callbackUrl);
        if (!callbackUrl.IsAbsoluteUri)
        {
            throw new ArgumentException("callbackUrl must be an absolute URL.", nameof(callbackUrl));
        }

        var query = QueryString.Parse(callbackUrl.Query);
        if (query.TryGetValue("error", out var error))
        {
            var description = query.GetValueOrDefault("error_description") ?? query.GetValueOrDefault("message");
            throw new MudbaseAuthenticationException($"OAuth sign-in failed: {error}{(description is null ? "" : ": " + description)}");
        }

        if (!query.TryGetValue("token", out var token) || string.IsNullOrWhiteSpace(token) ||
            !query.TryGetValue("refreshToken", out var refreshToken) || string.IsNullOrWhiteSpace(refreshToken))
        {
            throw new ArgumentException("callbackUrl carries no token and refreshToken: is it the OAuth callback?", nameof(callbackUrl));
        }

        var claims = JwtClaims.Read(token);
        var expiresIn = int.TryParse(query.GetValueOrDefault("expiresIn"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds)
            ? seconds
            : claims.ExpiresIn ?? 0;
        var session = NewSession(token, refreshToken, expiresIn, claims.ToUser(), message: null);

        // Nothing to wait for but the store; storing goes on in the background (SessionChanged follows it).
        _ = StoreInBackgroundAsync(session);
        return session;
    }

    private async Task StoreInBackgroundAsync(AuthSession session)
    {
        try
        {
            await _sessions.SignInAsync(session, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            // The session is current in memory; a store that fails now fails again, visibly, on the next change.
        }
    }

    private async Task<AuthSession> RefreshTokensAsync(AuthSession from, CancellationToken cancellationToken)
    {
        var response = await _api.RefreshAsync(new RefreshRequestBody { RefreshToken = from.RefreshToken }, cancellationToken).ConfigureAwait(false);
        return NewSession(response.Token, response.RefreshToken, response.ExpiresIn, response.User ?? from.User, response.Message);
    }

    private RegisterRequestBody RegisterBody(string email, string password, string firstName, string lastName, string? projectId, bool? agreedToTerms)
    {
        Guard.NotBlank(email, "request.Email");
        Guard.NotBlank(password, "request.Password");
        Guard.NotBlank(firstName, "request.FirstName");
        Guard.NotBlank(lastName, "request.LastName");
        return new RegisterRequestBody
        {
            Email = email,
            Password = password,
            FirstName = firstName,
            LastName = lastName,
            ProjectId = RequireProjectId(projectId, "request.ProjectId"),
            AgreedToTerms = agreedToTerms,
        };
    }

    private async Task<AuthSession> RefreshCurrentAsync(CancellationToken cancellationToken)
    {
        await _sessions.RestoreAsync(cancellationToken).ConfigureAwait(false);
        var current = _sessions.Current ?? throw NotSignedIn("refresh");
        return await _sessions.RefreshAsync(current, cancellationToken).ConfigureAwait(false) ?? throw NotSignedIn("refresh");
    }

    private async Task SignOutAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _sessions.RestoreAsync(cancellationToken).ConfigureAwait(false);
            if (_sessions.Current is { } session)
            {
                await _api.LogoutAsync(session.Token, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            // Signing out locally must not depend on the server, the network or the caller's token.
            await _sessions.SignOutAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The body of the calls that email a user of a project (resend verification, password reset).</summary>
    private EmailProjectRequestBody EmailProjectBody(string email, string? projectId)
    {
        Guard.NotBlank(email, nameof(email));
        return new EmailProjectRequestBody { Email = email, ProjectId = RequireProjectId(projectId, nameof(projectId)) };
    }

    private async Task<RegisterResult> ToRegisterResultAsync(Task<RegisterResponse> call, CancellationToken cancellationToken)
    {
        var response = await call.ConfigureAwait(false);
        AuthSession? session = null;
        if (!string.IsNullOrEmpty(response.Token) && !string.IsNullOrEmpty(response.RefreshToken))
        {
            // Tokens are never dropped: a missing user or lifetime is read from the token's own claims.
            var claims = response.User is null || response.ExpiresIn is null ? JwtClaims.Read(response.Token) : default;
            session = NewSession(response.Token, response.RefreshToken, response.ExpiresIn ?? claims.ExpiresIn ?? 0, response.User ?? claims.ToUser(), response.Message);
            await _sessions.SignInAsync(session, cancellationToken).ConfigureAwait(false);
        }

        return new RegisterResult(response.RequireVerification ?? session is null, response.User, session, response.Message, response.Role);
    }

    private async Task<AuthSession> SignInAsync(Task<SessionResponse> call, CancellationToken cancellationToken)
    {
        var response = await call.ConfigureAwait(false);
        var session = NewSession(response.Token, response.RefreshToken, response.ExpiresIn, response.User, response.Message);
        await _sessions.SignInAsync(session, cancellationToken).ConfigureAwait(false);
        return session;
    }

    private string RequireProjectId(string? requested, string paramName) => Guard.ProjectId(requested, _options.ProjectId, paramName);

    private AuthSession NewSession(string token, string refreshToken, int expiresIn, MudbaseUser user, string? message) =>
        // The server's lifetime, counted from arrival: clocks of client and server need not agree.
        new(token, refreshToken, expiresIn, _timeProvider.GetUtcNow().AddSeconds(expiresIn), user, message);

    private static MudbaseAuthenticationException NotSignedIn(string what) =>
        new($"Cannot {what}: there is no session. Sign in first.");
}
