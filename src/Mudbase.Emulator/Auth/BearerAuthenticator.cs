using System.Diagnostics.CodeAnalysis;
using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Auth;

/// <summary>The signed-in caller of a Bearer-authenticated request.</summary>
internal sealed record AuthenticatedCaller(UserAccount User, string SessionId);

/// <summary>
/// Authenticates <c>Authorization: Bearer &lt;access token&gt;</c>: a valid signature, not expired,
/// and a session that is still live. The last check is what makes logout and refresh-token reuse
/// end access tokens at once, rather than when they expire.
/// </summary>
internal sealed class BearerAuthenticator(AuthState auth, JwtSigner jwt)
{
    private const string Scheme = "Bearer ";

    public bool TryAuthenticate(
        HttpRequest request,
        [NotNullWhen(true)] out AuthenticatedCaller? caller,
        [NotNullWhen(false)] out IResult? error)
    {
        caller = null;
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase) || header.Length == Scheme.Length)
        {
            error = ErrorResults.Unauthorized("Authentication required");
            return false;
        }

        if (TryAuthenticateToken(header[Scheme.Length..].Trim(), out caller))
        {
            error = null;
            return true;
        }

        error = ErrorResults.Unauthorized("Invalid or expired token");
        return false;
    }

    /// <summary>The same checks on a bare access token (the realtime handshake carries it outside any header).</summary>
    public bool TryAuthenticateToken(string token, [NotNullWhen(true)] out AuthenticatedCaller? caller)
    {
        caller = jwt.TryValidate(token, out var claims) && auth.FindActiveSessionUser(claims.SessionId, claims.UserId) is { } user
            ? new AuthenticatedCaller(user, claims.SessionId)
            : null;
        return caller is not null;
    }
}
