using Mudbase.Emulator.Infrastructure;

namespace Mudbase.Emulator.Auth;

/// <summary><c>GET /api/auth/local/session?projectId=</c> (Bearer): the signed-in user.</summary>
internal sealed class SessionEndpoint(BearerAuthenticator bearer)
{
    public IResult Handle(HttpRequest request)
    {
        if (!bearer.TryAuthenticate(request, out var caller, out var error))
        {
            return error;
        }

        // projectId is optional; when given it must be the token's project. A valid token of
        // another project is a forbidden call rather than a failed sign-in, so that a client
        // does not throw its (good) session away over a misconfigured project id.
        if (request.Query["projectId"].ToString() is { Length: > 0 } projectId)
        {
            if (!ObjectIdGenerator.IsValid(projectId))
            {
                return ErrorResults.BadRequest("Invalid project ID format");
            }

            if (!string.Equals(projectId, caller.User.ProjectId, StringComparison.OrdinalIgnoreCase))
            {
                return ErrorResults.Status(StatusCodes.Status403Forbidden, new ErrorBody("Access denied") { Code = "FORBIDDEN" });
            }
        }

        return TypedResults.Json(new SessionResponse(UserBody.From(caller.User), Authenticated: true), EmulatorJsonContext.Wire.SessionResponse);
    }
}
