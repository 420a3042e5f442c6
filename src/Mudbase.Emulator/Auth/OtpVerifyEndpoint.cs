using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Auth;

/// <summary>
/// <c>POST /api/auth/otp/verify</c>: spends a sign-in code and signs in its email or phone number.
/// An identifier with no user yet becomes one (passwordless sign-up): an email is marked
/// verified, since the code proved it; a phone number gets a user of its own.
/// </summary>
internal sealed class OtpVerifyEndpoint(EmulatorStore store, AuthState auth, PasswordlessUsers users, SessionIssuer sessions, TimeProvider timeProvider)
{
    public async Task<IResult> HandleAsync(HttpRequest request)
    {
        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return ErrorResults.InvalidJson();
        }

        var errors = new List<string>();
        var identifier = BodyFields.RequiredString(body, "identifier", errors);
        var otp = BodyFields.RequiredString(body, "otp", errors);
        var projectId = BodyFields.RequiredString(body, "projectId", errors);
        if (identifier is null || otp is null || projectId is null)
        {
            return ErrorResults.ValidationFailed(errors);
        }

        if (!ProjectLookup.TryFind(store, projectId, out var project, out var error))
        {
            return error;
        }

        // Codes are addressed to lower-case emails, so an email in any case finds its code.
        var isEmail = identifier.Contains('@', StringComparison.Ordinal);
        if (isEmail)
        {
            identifier = identifier.ToLowerInvariant();
        }

        if (!auth.TakeSignInCode(project.Id, identifier, otp, timeProvider.GetUtcNow()))
        {
            return ErrorResults.BadRequest("Invalid or expired OTP");
        }

        var user = isEmail ? users.ForVerifiedEmail(project.Id, identifier) : users.ForPhone(project.Id, identifier);
        var tokens = sessions.StartSession(user);
        return TypedResults.Json(new SignInResponse("OTP verified successfully", tokens, user), EmulatorJsonContext.Wire.SignInResponse);
    }
}
