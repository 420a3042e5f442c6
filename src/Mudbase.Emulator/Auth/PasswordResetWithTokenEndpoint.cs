using Mudbase.Emulator.Infrastructure;

namespace Mudbase.Emulator.Auth;

/// <summary>
/// <c>POST /api/auth/local/password-reset/{token}</c>: the legacy reset, with the token of the
/// reset message's link instead of its code. Same effects as the code (see <see cref="AuthState.ResetPasswordWithToken"/>).
/// </summary>
internal sealed class PasswordResetWithTokenEndpoint(AuthState auth, TimeProvider timeProvider)
{
    public async Task<IResult> HandleAsync(HttpRequest request, string token)
    {
        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return ErrorResults.InvalidJson();
        }

        var errors = new List<string>();
        var password = BodyFields.RequiredString(body, "password", errors, RegisterRequest.MinimumPasswordLength);
        var projectId = BodyFields.OptionalString(body, "projectId", errors);
        if (password is null || errors.Count > 0)
        {
            return ErrorResults.ValidationFailed(errors);
        }

        return auth.ResetPasswordWithToken(token, projectId, PasswordHasher.Hash(password), timeProvider.GetUtcNow())
            ? TypedResults.Json(new MessageResponse("Password reset successful"), EmulatorJsonContext.Wire.MessageResponse)
            : ErrorResults.BadRequest("Invalid or expired reset token");
    }
}
