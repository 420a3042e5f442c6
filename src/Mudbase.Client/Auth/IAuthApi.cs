using Mudbase.Http;
using Refit;

namespace Mudbase.Auth;

/// <summary>
/// The auth endpoints, one line each (CONTRACT.md). Refit's source generator implements it.
/// <c>[Headers("Authorization: Bearer")]</c> marks calls made as the signed-in user: the authentication handler fills in the
/// token of the session given as the call's <c>[Property(SessionProperty)]</c>. The Refit clients are shared by every view of a
/// client; the session travels with each request.
/// </summary>
internal interface IAuthApi
{
    [Post("/api/auth/anonymous")]
    Task<SessionResponse> CreateAnonymousAsync([Body] AnonymousRequestBody body, CancellationToken cancellationToken);

    [Post("/api/auth/local/register")]
    Task<RegisterResponse> RegisterAsync([Body] RegisterRequestBody body, CancellationToken cancellationToken);

    [Post("/api/auth/local/signup/{role}")]
    Task<RegisterResponse> RegisterWithRoleAsync(string role, [Body] RegisterRequestBody body, CancellationToken cancellationToken);

    [Post("/api/auth/local/login")]
    Task<SessionResponse> LoginAsync([Body] LoginRequestBody body, CancellationToken cancellationToken);

    [Post("/api/auth/refresh")]
    Task<RefreshResponse> RefreshAsync([Body] RefreshRequestBody body, CancellationToken cancellationToken);

    /// <summary>Sends the token it is given as it is: signing out must neither refresh nor retry.</summary>
    [Post("/api/auth/local/logout")]
    Task<MessageResponse> LogoutAsync([Authorize("Bearer")] string token, CancellationToken cancellationToken);

    [Get("/api/auth/local/session")]
    [Headers("Authorization: Bearer")]
    Task<SessionInfoResponse> GetSessionAsync([Query] string? projectId, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Post("/api/auth/anonymous/convert")]
    [Headers("Authorization: Bearer")]
    Task<SessionResponse> ConvertAnonymousAsync([Body] ConvertRequestBody body, [Property(MudbaseAuthenticationHandler.SessionProperty)] SessionManager session, CancellationToken cancellationToken);

    [Post("/api/auth/verify-email")]
    Task<MessageResponse> VerifyEmailAsync([Body] VerifyEmailRequestBody body, CancellationToken cancellationToken);

    [Post("/api/auth/resend-verification")]
    Task<MessageResponse> ResendVerificationAsync([Body] EmailProjectRequestBody body, CancellationToken cancellationToken);

    [Post("/api/auth/local/password-reset")]
    Task<MessageResponse> RequestPasswordResetAsync([Body] EmailProjectRequestBody body, CancellationToken cancellationToken);

    [Post("/api/auth/local/password-reset/confirm")]
    Task<MessageResponse> ConfirmPasswordResetAsync([Body] ConfirmPasswordResetRequestBody body, CancellationToken cancellationToken);

    [Post("/api/auth/local/password-reset/{token}")]
    Task<MessageResponse> ResetPasswordAsync(string token, [Body] ResetPasswordRequestBody body, CancellationToken cancellationToken);

    [Post("/api/auth/magic-link/send")]
    Task<MessageResponse> SendMagicLinkAsync([Body] SendMagicLinkRequestBody body, CancellationToken cancellationToken);

    [Post("/api/auth/magic-link/verify")]
    Task<SessionResponse> VerifyMagicLinkAsync([Body] TokenRequestBody body, CancellationToken cancellationToken);

    [Post("/api/auth/otp/send")]
    Task<MessageResponse> SendOtpAsync([Body] SendOtpRequestBody body, CancellationToken cancellationToken);

    [Post("/api/auth/otp/verify")]
    Task<SessionResponse> VerifyOtpAsync([Body] VerifyOtpRequestBody body, CancellationToken cancellationToken);

    [Get("/api/auth/oauth/providers/available")]
    Task<OAuthProvidersResponse> GetOAuthProvidersAsync(CancellationToken cancellationToken);
}
