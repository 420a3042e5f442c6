using System.Text.Json.Nodes;
using Mudbase.Auth;
using Mudbase.Diagnostics;
using Mudbase.Http;
using Mudbase.Internal;

namespace Mudbase.Users;

/// <summary>The facade of the signed-in user's calls: argument checks, mapping, and the session changes the server makes (erase, password change). No HTTP here.</summary>
internal sealed class MudbaseUsers : IMudbaseUsers
{
    private readonly IUsersApi _api;
    private readonly RefitErrorMapper _errors;
    private readonly MudbaseClientOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly SessionManager _sessions;

    public MudbaseUsers(IUsersApi api, RefitErrorMapper errors, MudbaseClientOptions options, TimeProvider timeProvider, SessionManager sessions)
    {
        _api = api;
        _errors = errors;
        _options = options;
        _timeProvider = timeProvider;
        _sessions = sessions;
    }

    public Task<UserProfile> GetMeAsync(CancellationToken cancellationToken = default) =>
        Operation.RunAsync("mudbase.users.get_me", this, 0, static (u, _, ct) => u._api.GetMeAsync(u._sessions, ct), static answer => answer.ToProfile(), cancellationToken);

    public Task<UserProfile> UpdateProfileAsync(UpdateProfileRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request is { FirstName: null, LastName: null, Avatar: null })
        {
            throw new ArgumentException("request changes nothing: set at least one of FirstName, LastName and Avatar.", nameof(request));
        }

        Guard.NullOrNotBlank(request.FirstName, "request.FirstName");
        Guard.NullOrNotBlank(request.LastName, "request.LastName");
        Guard.NullOrNotBlank(request.Avatar, "request.Avatar", Guard.MaxTokenLength);
        var body = new UpdateProfileBody { FirstName = request.FirstName, LastName = request.LastName, Avatar = request.Avatar };
        return Operation.RunAsync("mudbase.users.update_profile", this, body, static (u, body, ct) => u._api.UpdateProfileAsync(body, u._sessions, ct),
            static answer => answer.ToProfile(), cancellationToken);
    }

    public Task ChangePasswordAsync(string currentPassword, string newPassword, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(currentPassword, nameof(currentPassword));
        Guard.NotBlank(newPassword, nameof(newPassword));
        var body = new ChangePasswordBody { CurrentPassword = currentPassword, NewPassword = newPassword };
        return Operation.RunAsync("mudbase.users.change_password", this, body, static (u, body, ct) => u.ChangePasswordCoreAsync(body, ct), cancellationToken);
    }

    public Task<TwoFactorSetup> SetUpTwoFactorAsync(CancellationToken cancellationToken = default) =>
        Operation.RunAsync("mudbase.users.setup_2fa", this, 0, static (u, _, ct) => u._api.SetUpTwoFactorAsync(u._sessions, ct), static answer => answer.ToSetup(), cancellationToken);

    public Task VerifyTwoFactorAsync(string code, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(code, nameof(code));
        return Operation.RunAsync("mudbase.users.verify_2fa", this, new TwoFactorCodeBody { Token = code },
            static (u, body, ct) => JsonAnswer.ExpectSuccessAsync(u._api.VerifyTwoFactorAsync(body, u._sessions, ct), u._errors), cancellationToken);
    }

    public Task DisableTwoFactorAsync(string password, string code, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(password, nameof(password));
        Guard.NotBlank(code, nameof(code));
        return Operation.RunAsync("mudbase.users.disable_2fa", this, new DisableTwoFactorBody { Password = password, Token = code },
            static (u, body, ct) => JsonAnswer.ExpectSuccessAsync(u._api.DisableTwoFactorAsync(body, u._sessions, ct), u._errors), cancellationToken);
    }

    public Task ResendVerificationAsync(CancellationToken cancellationToken = default) =>
        Operation.RunAsync("mudbase.users.resend_verification", this, 0,
            static (u, _, ct) => JsonAnswer.ExpectSuccessAsync(u._api.ResendVerificationAsync(u._sessions, ct), u._errors), cancellationToken);

    public Task<JsonObject> ExportDataAsync(CancellationToken cancellationToken = default) =>
        Operation.RunAsync("mudbase.users.export_data", this, 0, static (u, _, ct) => u._api.ExportDataAsync(u._sessions, ct), cancellationToken);

    public Task<EraseAccountResult> EraseAccountAsync(EraseAccountRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!string.Equals(request.Confirm, EraseAccountRequest.ConfirmationText, StringComparison.Ordinal))
        {
            throw new ArgumentException($"request.Confirm must be \"{EraseAccountRequest.ConfirmationText}\": erasing an account cannot be undone.", "request.Confirm");
        }

        Guard.NullOrNotBlank(request.CurrentPassword, "request.CurrentPassword");
        Guard.NullOrNotBlank(request.TwoFactorCode, "request.TwoFactorCode");
        var body = new EraseAccountBody { Confirm = request.Confirm, CurrentPassword = request.CurrentPassword, TotpToken = request.TwoFactorCode };
        return Operation.RunAsync("mudbase.users.erase_account", this, body, static (u, body, ct) => u.EraseCoreAsync(body, ct), cancellationToken);
    }

    public Task<IReadOnlyList<LinkedProvider>> GetLinkedProvidersAsync(CancellationToken cancellationToken = default) =>
        Operation.RunAsync("mudbase.users.get_linked_providers", this, 0, static (u, _, ct) => u._api.GetLinkedProvidersAsync(u._sessions, ct),
            static answer => answer.ToProviders(), cancellationToken);

    public Uri GetLinkProviderUrl(string provider, Uri? redirectUrl = null)
    {
        Guard.NotBlank(provider, nameof(provider));
        if (redirectUrl is { IsAbsoluteUri: false })
        {
            throw new ArgumentException("redirectUrl must be an absolute URL.", nameof(redirectUrl));
        }

        var project = _options.ProjectId
            ?? throw new InvalidOperationException("A project id is required to link a provider: set MudbaseClientOptions.ProjectId.");
        var path = $"api/users/me/oauth-providers/link/{Uri.EscapeDataString(provider)}?projectId={Uri.EscapeDataString(project)}";
        return new Uri(_options.BaseUrl, redirectUrl is null ? path : $"{path}&redirect_url={Uri.EscapeDataString(redirectUrl.AbsoluteUri)}");
    }

    public Task UnlinkProviderAsync(string provider, CancellationToken cancellationToken = default)
    {
        Guard.NotBlank(provider, nameof(provider));
        return Operation.RunAsync("mudbase.users.unlink_provider", this, provider,
            static (u, provider, ct) => JsonAnswer.ExpectSuccessAsync(u._api.UnlinkProviderAsync(provider, u._sessions, ct), u._errors), cancellationToken);
    }

    /// <summary>The server keeps this session (and ends the others); one that sends new tokens replaces it, and those are kept.</summary>
    private async Task ChangePasswordCoreAsync(ChangePasswordBody body, CancellationToken cancellationToken)
    {
        var answer = await _api.ChangePasswordAsync(body, _sessions, cancellationToken).ConfigureAwait(false);
        if (answer is { Token: { Length: > 0 } token, RefreshToken: { Length: > 0 } refreshToken } && _sessions.Current is { } current)
        {
            var expiresIn = answer.ExpiresIn ?? JwtClaims.Read(token).ExpiresIn ?? 0;
            var session = new AuthSession(token, refreshToken, expiresIn, _timeProvider.GetUtcNow().AddSeconds(expiresIn), answer.User ?? current.User, answer.Message);
            await _sessions.SignInAsync(session, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>The server revokes every session of the account: once it has answered with success, this one ends here too, whatever the body.</summary>
    private async Task<EraseAccountResult> EraseCoreAsync(EraseAccountBody body, CancellationToken cancellationToken)
    {
        EraseAccountAnswer answer;
        try
        {
            answer = await _api.EraseAccountAsync(body, _sessions, cancellationToken).ConfigureAwait(false);
        }
        catch (MudbaseException ex) when (ex.StatusCode is { } status && (int)status is >= 200 and < 300)
        {
            await _sessions.SignOutAsync(CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        await _sessions.SignOutAsync(CancellationToken.None).ConfigureAwait(false);
        return answer.ToResult();
    }
}
