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

    public async Task<AuthSession> CreateAnonymousAsync(CreateAnonymousRequest? request = null, CancellationToken cancellationToken = default)
    {
        using var activity = MudbaseDiagnostics.StartOperation("mudbase.auth.create_anonymous");
        try
        {
            Guard.NullOrNotBlank(request?.ProjectId, "request.ProjectId");
            Guard.NullOrNotBlank(request?.DeviceId, "request.DeviceId");
            cancellationToken.ThrowIfCancellationRequested();

            var body = new AnonymousRequestBody { ProjectId = request?.ProjectId ?? _options.ProjectId, DeviceId = request?.DeviceId };
            return await SignInAsync(await _api.CreateAnonymousAsync(body, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (MudbaseDiagnostics.Failed(activity, ex))
        {
            throw; // not reached: the filter only records the failure on the activity
        }
    }

    public async Task<RegisterResult> RegisterAsync(RegisterRequest request, CancellationToken cancellationToken = default)
    {
        using var activity = MudbaseDiagnostics.StartOperation("mudbase.auth.register");
        try
        {
            ArgumentNullException.ThrowIfNull(request);
            var body = RegisterBody(request.Email, request.Password, request.FirstName, request.LastName, request.ProjectId, agreedToTerms: null);
            cancellationToken.ThrowIfCancellationRequested();
            return await ToRegisterResultAsync(await _api.RegisterAsync(body, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (MudbaseDiagnostics.Failed(activity, ex))
        {
            throw; // not reached: the filter only records the failure on the activity
        }
    }

    public async Task<RegisterResult> RegisterWithRoleAsync(string role, RegisterWithRoleRequest request, CancellationToken cancellationToken = default)
    {
        using var activity = MudbaseDiagnostics.StartOperation("mudbase.auth.register_with_role");
        try
        {
            Guard.NotBlank(role, nameof(role));
            ArgumentNullException.ThrowIfNull(request);
            if (!request.AgreedToTerms)
            {
                throw new ArgumentException("request.AgreedToTerms must be true: the server only accepts sign-ups that agree to the terms.", "request.AgreedToTerms");
            }

            var body = RegisterBody(request.Email, request.Password, request.FirstName, request.LastName, request.ProjectId, agreedToTerms: true);
            cancellationToken.ThrowIfCancellationRequested();
            return await ToRegisterResultAsync(await _api.RegisterWithRoleAsync(role, body, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (MudbaseDiagnostics.Failed(activity, ex))
        {
            throw; // not reached: the filter only records the failure on the activity
        }
    }

    public async Task<AuthSession> LoginAsync(LoginRequest request, CancellationToken cancellationToken = default)
    {
        using var activity = MudbaseDiagnostics.StartOperation("mudbase.auth.login");
        try
        {
            ArgumentNullException.ThrowIfNull(request);
            Guard.NotBlank(request.Email, "request.Email");
            Guard.NotBlank(request.Password, "request.Password");
            var body = new LoginRequestBody { Email = request.Email, Password = request.Password, ProjectId = RequireProjectId(request.ProjectId, "request.ProjectId") };
            cancellationToken.ThrowIfCancellationRequested();
            return await SignInAsync(await _api.LoginAsync(body, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (MudbaseDiagnostics.Failed(activity, ex))
        {
            throw; // not reached: the filter only records the failure on the activity
        }
    }

    public async Task<AuthSession> RefreshAsync(CancellationToken cancellationToken = default)
    {
        using var activity = MudbaseDiagnostics.StartOperation("mudbase.auth.refresh");
        try
        {
            await _sessions.RestoreAsync(cancellationToken).ConfigureAwait(false);
            var current = _sessions.Current ?? throw NotSignedIn("refresh");
            return await _sessions.RefreshAsync(current, cancellationToken).ConfigureAwait(false) ?? throw NotSignedIn("refresh");
        }
        catch (Exception ex) when (MudbaseDiagnostics.Failed(activity, ex))
        {
            throw; // not reached: the filter only records the failure on the activity
        }
    }

    public async Task LogoutAsync(CancellationToken cancellationToken = default)
    {
        using var activity = MudbaseDiagnostics.StartOperation("mudbase.auth.logout");
        try
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
        catch (Exception ex) when (MudbaseDiagnostics.Failed(activity, ex))
        {
            throw; // not reached: the filter only records the failure on the activity
        }
    }

    public async Task<SessionInfo> GetSessionAsync(string? projectId = null, CancellationToken cancellationToken = default)
    {
        using var activity = MudbaseDiagnostics.StartOperation("mudbase.auth.get_session");
        try
        {
            Guard.NullOrNotBlank(projectId, nameof(projectId));
            cancellationToken.ThrowIfCancellationRequested();
            var response = await _api.GetSessionAsync(projectId ?? _options.ProjectId, cancellationToken).ConfigureAwait(false);
            return new SessionInfo(response.Authenticated, response.User);
        }
        catch (Exception ex) when (MudbaseDiagnostics.Failed(activity, ex))
        {
            throw; // not reached: the filter only records the failure on the activity
        }
    }

    public async Task<AuthSession> ConvertAnonymousAsync(ConvertAnonymousRequest request, CancellationToken cancellationToken = default)
    {
        using var activity = MudbaseDiagnostics.StartOperation("mudbase.auth.convert_anonymous");
        try
        {
            ArgumentNullException.ThrowIfNull(request);
            Guard.NotBlank(request.Email, "request.Email");
            Guard.NotBlank(request.Password, "request.Password");
            Guard.NullOrNotBlank(request.FirstName, "request.FirstName");
            Guard.NullOrNotBlank(request.LastName, "request.LastName");
            cancellationToken.ThrowIfCancellationRequested();
            var body = new ConvertRequestBody { Email = request.Email, Password = request.Password, FirstName = request.FirstName, LastName = request.LastName };
            return await SignInAsync(await _api.ConvertAnonymousAsync(body, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (MudbaseDiagnostics.Failed(activity, ex))
        {
            throw; // not reached: the filter only records the failure on the activity
        }
    }

    public async Task VerifyEmailAsync(string token, string? projectId = null, CancellationToken cancellationToken = default)
    {
        using var activity = MudbaseDiagnostics.StartOperation("mudbase.auth.verify_email");
        try
        {
            Guard.NotBlank(token, nameof(token), Guard.MaxTokenLength);
            Guard.NullOrNotBlank(projectId, nameof(projectId));
            cancellationToken.ThrowIfCancellationRequested();
            await _api.VerifyEmailAsync(new VerifyEmailRequestBody { Token = token, ProjectId = projectId ?? _options.ProjectId }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (MudbaseDiagnostics.Failed(activity, ex))
        {
            throw; // not reached: the filter only records the failure on the activity
        }
    }

    public async Task ResendVerificationAsync(string email, string? projectId = null, CancellationToken cancellationToken = default)
    {
        using var activity = MudbaseDiagnostics.StartOperation("mudbase.auth.resend_verification");
        try
        {
            Guard.NotBlank(email, nameof(email));
            var body = new EmailProjectRequestBody { Email = email, ProjectId = RequireProjectId(projectId, nameof(projectId)) };
            cancellationToken.ThrowIfCancellationRequested();
            await _api.ResendVerificationAsync(body, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (MudbaseDiagnostics.Failed(activity, ex))
        {
            throw; // not reached: the filter only records the failure on the activity
        }
    }

    public async Task RequestPasswordResetAsync(string email, string? projectId = null, CancellationToken cancellationToken = default)
    {
        using var activity = MudbaseDiagnostics.StartOperation("mudbase.auth.request_password_reset");
        try
        {
            Guard.NotBlank(email, nameof(email));
            var body = new EmailProjectRequestBody { Email = email, ProjectId = RequireProjectId(projectId, nameof(projectId)) };
            cancellationToken.ThrowIfCancellationRequested();
            await _api.RequestPasswordResetAsync(body, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (MudbaseDiagnostics.Failed(activity, ex))
        {
            throw; // not reached: the filter only records the failure on the activity
        }
    }

    public async Task ConfirmPasswordResetAsync(ConfirmPasswordResetRequest request, CancellationToken cancellationToken = default)
    {
        using var activity = MudbaseDiagnostics.StartOperation("mudbase.auth.confirm_password_reset");
        try
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
            cancellationToken.ThrowIfCancellationRequested();
            await _api.ConfirmPasswordResetAsync(body, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (MudbaseDiagnostics.Failed(activity, ex))
        {
            throw; // not reached: the filter only records the failure on the activity
        }
    }

    public async Task ResetPasswordAsync(string token, string newPassword, string? projectId = null, CancellationToken cancellationToken = default)
    {
        using var activity = MudbaseDiagnostics.StartOperation("mudbase.auth.reset_password");
        try
        {
            Guard.NotBlank(token, nameof(token), Guard.MaxTokenLength);
            Guard.NotBlank(newPassword, nameof(newPassword));
            Guard.NullOrNotBlank(projectId, nameof(projectId));
            cancellationToken.ThrowIfCancellationRequested();
            await _api.ResetPasswordAsync(token, new ResetPasswordRequestBody { Password = newPassword, ProjectId = projectId ?? _options.ProjectId }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (MudbaseDiagnostics.Failed(activity, ex))
        {
            throw; // not reached: the filter only records the failure on the activity
        }
    }

    public async Task SendMagicLinkAsync(string email, Uri? redirectUrl = null, string? projectId = null, CancellationToken cancellationToken = default)
    {
        using var activity = MudbaseDiagnostics.StartOperation("mudbase.auth.send_magic_link");
        try
        {
            Guard.NotBlank(email, nameof(email));
            if (redirectUrl is { IsAbsoluteUri: false })
            {
                throw new ArgumentException("redirectUrl must be an absolute URL.", nameof(redirectUrl));
            }

            var body = new SendMagicLinkRequestBody { Email = email, ProjectId = RequireProjectId(projectId, nameof(projectId)), RedirectUrl = redirectUrl?.AbsoluteUri };
            cancellationToken.ThrowIfCancellationRequested();
            await _api.SendMagicLinkAsync(body, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (MudbaseDiagnostics.Failed(activity, ex))
        {
            throw; // not reached: the filter only records the failure on the activity
        }
    }

    public async Task<AuthSession> VerifyMagicLinkAsync(string token, CancellationToken cancellationToken = default)
    {
        using var activity = MudbaseDiagnostics.StartOperation("mudbase.auth.verify_magic_link");
        try
        {
            Guard.NotBlank(token, nameof(token), Guard.MaxTokenLength);
            cancellationToken.ThrowIfCancellationRequested();
            return await SignInAsync(await _api.VerifyMagicLinkAsync(new TokenRequestBody { Token = token }, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (MudbaseDiagnostics.Failed(activity, ex))
        {
            throw; // not reached: the filter only records the failure on the activity
        }
    }

    public async Task SendOtpAsync(OtpChannel channel, string destination, string? projectId = null, CancellationToken cancellationToken = default)
    {
        using var activity = MudbaseDiagnostics.StartOperation("mudbase.auth.send_otp");
        try
        {
            Guard.NotBlank(destination, nameof(destination));
            var project = RequireProjectId(projectId, nameof(projectId));
            var body = channel switch
            {
                OtpChannel.Email => new SendOtpRequestBody { ProjectId = project, Method = "email", Email = destination },
                OtpChannel.Sms => new SendOtpRequestBody { ProjectId = project, Method = "sms", Phone = destination },
                _ => throw new ArgumentOutOfRangeException(nameof(channel), channel, "Use OtpChannel.Email or OtpChannel.Sms."),
            };
            cancellationToken.ThrowIfCancellationRequested();
            await _api.SendOtpAsync(body, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (MudbaseDiagnostics.Failed(activity, ex))
        {
            throw; // not reached: the filter only records the failure on the activity
        }
    }

    public async Task<AuthSession> VerifyOtpAsync(string identifier, string otp, string? projectId = null, CancellationToken cancellationToken = default)
    {
        using var activity = MudbaseDiagnostics.StartOperation("mudbase.auth.verify_otp");
        try
        {
            Guard.NotBlank(identifier, nameof(identifier));
            Guard.NotBlank(otp, nameof(otp));
            var body = new VerifyOtpRequestBody { Identifier = identifier, Otp = otp, ProjectId = RequireProjectId(projectId, nameof(projectId)) };
            cancellationToken.ThrowIfCancellationRequested();
            return await SignInAsync(await _api.VerifyOtpAsync(body, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (MudbaseDiagnostics.Failed(activity, ex))
        {
            throw; // not reached: the filter only records the failure on the activity
        }
    }

    public async Task<IReadOnlyList<OAuthProviderInfo>> GetOAuthProvidersAsync(CancellationToken cancellationToken = default)
    {
        using var activity = MudbaseDiagnostics.StartOperation("mudbase.auth.get_oauth_providers");
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            var response = await _api.GetOAuthProvidersAsync(cancellationToken).ConfigureAwait(false);
            return response.Providers ?? [];
        }
        catch (Exception ex) when (MudbaseDiagnostics.Failed(activity, ex))
        {
            throw; // not reached: the filter only records the failure on the activity
        }
    }

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

    private async Task<RegisterResult> ToRegisterResultAsync(RegisterResponse response, CancellationToken cancellationToken)
    {
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

    private async Task<AuthSession> SignInAsync(SessionResponse response, CancellationToken cancellationToken)
    {
        var session = NewSession(response.Token, response.RefreshToken, response.ExpiresIn, response.User, response.Message);
        await _sessions.SignInAsync(session, cancellationToken).ConfigureAwait(false);
        return session;
    }

    private string RequireProjectId(string? requested, string paramName)
    {
        Guard.NullOrNotBlank(requested, paramName);
        return requested ?? _options.ProjectId
            ?? throw new ArgumentException($"A project id is required: set {paramName} or MudbaseClientOptions.ProjectId.", paramName);
    }

    private AuthSession NewSession(string token, string refreshToken, int expiresIn, MudbaseUser user, string? message) =>
        // The server's lifetime, counted from arrival: clocks of client and server need not agree.
        new(token, refreshToken, expiresIn, _timeProvider.GetUtcNow().AddSeconds(expiresIn), user, message);

    private static MudbaseAuthenticationException NotSignedIn(string what) =>
        new($"Cannot {what}: there is no session. Sign in first.");
}
