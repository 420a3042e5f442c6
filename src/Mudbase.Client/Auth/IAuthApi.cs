using Refit;

namespace Mudbase.Auth;

/// <summary>The auth endpoints, one line each (CONTRACT.md). Refit's source generator implements it.</summary>
internal interface IAuthApi
{
    [Post("/api/auth/anonymous")]
    Task<SessionResponse> CreateAnonymousAsync([Body] AnonymousRequestBody body, CancellationToken cancellationToken);

    [Post("/api/auth/local/register")]
    Task<RegisterResponse> RegisterAsync([Body] RegisterRequestBody body, CancellationToken cancellationToken);
}
