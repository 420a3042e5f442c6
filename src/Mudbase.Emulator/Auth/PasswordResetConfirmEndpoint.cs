using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Auth;

/// <summary>
/// <c>POST /api/auth/local/password-reset/confirm</c>: sets a new password with the emailed code.
/// An unknown email answers like a wrong code. Success marks the email verified and signs the
/// user out everywhere (see <see cref="AuthState.ResetPasswordWithCode"/>).
/// </summary>
internal sealed class PasswordResetConfirmEndpoint(EmulatorStore store, AuthState auth, TimeProvider timeProvider)
{
    public async Task<IResult> HandleAsync(HttpRequest request)
    {
        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return ErrorResults.InvalidJson();
        }

        var errors = new List<string>();
        var email = BodyFields.RequiredEmail(body, "email", errors);
        var projectId = BodyFields.RequiredString(body, "projectId", errors);
        var otp = BodyFields.RequiredDigits(body, "otp", 6, errors);
        var newPassword = BodyFields.RequiredString(body, "newPassword", errors, RegisterRequest.MinimumPasswordLength);
        if (email is null || projectId is null || otp is null || newPassword is null)
        {
            return ErrorResults.ValidationFailed(errors);
        }

        if (!ProjectLookup.TryFind(store, projectId, out var project, out var error))
        {
            return error;
        }

        return auth.ResetPasswordWithCode(project.Id, email.ToLowerInvariant(), otp, PasswordHasher.Hash(newPassword), timeProvider.GetUtcNow())
            ? TypedResults.Json(new MessageResponse("Password reset successful"), EmulatorJsonContext.Wire.MessageResponse)
            : ErrorResults.BadRequest("Invalid or expired OTP");
    }
}
