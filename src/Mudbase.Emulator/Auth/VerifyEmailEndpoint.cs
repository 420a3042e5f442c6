using Mudbase.Emulator.Infrastructure;

namespace Mudbase.Emulator.Auth;

/// <summary>
/// <c>POST /api/auth/verify-email</c>: marks the email of the token's user verified. A token works
/// once; verifying also voids the user's other verification tokens.
/// </summary>
internal sealed class VerifyEmailEndpoint(AuthState auth, TimeProvider timeProvider)
{
    public async Task<IResult> HandleAsync(HttpRequest request)
    {
        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return ErrorResults.InvalidJson();
        }

        var errors = new List<string>();
        var token = BodyFields.RequiredString(body, "token", errors);
        var projectId = BodyFields.OptionalString(body, "projectId", errors);
        if (token is null || errors.Count > 0)
        {
            return ErrorResults.ValidationFailed(errors);
        }

        return auth.VerifyEmail(token, projectId, timeProvider.GetUtcNow())
            ? TypedResults.Json(new MessageResponse("Email verified successfully"), EmulatorJsonContext.Wire.MessageResponse)
            : ErrorResults.BadRequest("Invalid or expired verification token");
    }
}
