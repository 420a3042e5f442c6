using System.Text.Json.Nodes;
using Mudbase.Auth;
using Mudbase.Http;
using Refit;

namespace Mudbase.Users;

/// <summary>
/// The signed-in user's endpoints (CONTRACT.md, Users), one line each. All are made as the view's user, with a bearer
/// token only (<c>[Headers("Authorization: Bearer")]</c>: no session, no request); the server takes no API key here.
/// Answers whose body does not matter are read as <see cref="HttpResponseMessage"/> (any success will do, an empty one too).
/// </summary>
internal interface IUsersApi
{
    [Get("/api/users/me")]
    [Headers("Authorization: Bearer")]
    Task<UserAnswer> GetMeAsync([Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Patch("/api/users/update")]
    [Headers("Authorization: Bearer")]
    Task<UserAnswer> UpdateProfileAsync([Body] UpdateProfileBody body, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Patch("/api/users/password")]
    [Headers("Authorization: Bearer")]
    Task<ChangePasswordAnswer> ChangePasswordAsync([Body] ChangePasswordBody body, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Post("/api/users/2fa/setup")]
    [Headers("Authorization: Bearer")]
    Task<TwoFactorSetupAnswer> SetUpTwoFactorAsync([Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Post("/api/users/2fa/verify")]
    [Headers("Authorization: Bearer")]
    Task<HttpResponseMessage> VerifyTwoFactorAsync([Body] TwoFactorCodeBody body, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Post("/api/users/2fa/disable")]
    [Headers("Authorization: Bearer")]
    Task<HttpResponseMessage> DisableTwoFactorAsync([Body] DisableTwoFactorBody body, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Post("/api/users/resend-verification")]
    [Headers("Authorization: Bearer")]
    Task<HttpResponseMessage> ResendVerificationAsync([Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Get("/api/users/me/export")]
    [Headers("Authorization: Bearer")]
    Task<JsonObject> ExportDataAsync([Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Post("/api/users/me/erase")]
    [Headers("Authorization: Bearer")]
    Task<EraseAccountAnswer> EraseAccountAsync([Body] EraseAccountBody body, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Get("/api/users/me/oauth-providers")]
    [Headers("Authorization: Bearer")]
    Task<LinkedProvidersAnswer> GetLinkedProvidersAsync([Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Delete("/api/users/me/oauth-providers/{provider}")]
    [Headers("Authorization: Bearer")]
    Task<HttpResponseMessage> UnlinkProviderAsync(string provider, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);
}
