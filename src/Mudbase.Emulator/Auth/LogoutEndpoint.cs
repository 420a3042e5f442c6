using Mudbase.Emulator.Infrastructure;

namespace Mudbase.Emulator.Auth;

/// <summary>
/// <c>POST /api/auth/local/logout</c> (Bearer): ends the caller's session, so that its access
/// tokens and refresh tokens stop working at once. Other sessions of the user stay signed in.
/// </summary>
internal sealed class LogoutEndpoint(AuthState auth, BearerAuthenticator bearer, TimeProvider timeProvider)
{
    public IResult Handle(HttpRequest request)
    {
        if (!bearer.TryAuthenticate(request, out var caller, out var error))
        {
            return error;
        }

        auth.RevokeSession(caller.SessionId, timeProvider.GetUtcNow());
        return TypedResults.Json(new MessageResponse("Logout successful"), EmulatorJsonContext.Wire.MessageResponse);
    }
}
