using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Auth;

/// <summary>
/// <c>POST /api/auth/local/login</c>: signs a project user in with email and password. Users
/// without a password (guests, and those who only ever signed in by link, code or OAuth) cannot
/// sign in here.
/// </summary>
internal sealed class LoginEndpoint(EmulatorStore store, SessionIssuer sessions)
{
    public async Task<IResult> HandleAsync(HttpRequest request)
    {
        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return ErrorResults.InvalidJson();
        }

        var errors = new List<string>();
        var email = BodyFields.RequiredEmail(body, "email", errors);
        var password = BodyFields.RequiredString(body, "password", errors);
        // The spec makes projectId optional because org accounts sign in here too; the emulator
        // has project users only, so it is required.
        var projectId = BodyFields.RequiredString(body, "projectId", errors);
        if (email is null || password is null || projectId is null)
        {
            return ErrorResults.ValidationFailed(errors);
        }

        if (!ProjectLookup.TryFind(store, projectId, out var project, out var error))
        {
            return error;
        }

        // An unknown email and a wrong password answer alike, so that login cannot be used to
        // find out who has an account.
        var user = store.FindUserByEmail(project.Id, email.ToLowerInvariant());
        if (user is null || !PasswordHasher.Verify(password, user.PasswordHash))
        {
            return ErrorResults.Unauthorized("Invalid credentials");
        }

        // Only after the password: the unverified state is nobody else's business.
        if (project.RequireEmailVerification && !user.EmailVerified)
        {
            return ErrorResults.Status(StatusCodes.Status403Forbidden, new ErrorBody("Email verification required")
            {
                Code = "EMAIL_VERIFICATION_REQUIRED",
                Message = "Please verify your email to sign in. Check your inbox for the verification link.",
            });
        }

        var tokens = sessions.StartSession(user);
        store.Count(static counts => counts with { Logins = counts.Logins + 1 });
        return TypedResults.Json(new SignInResponse("Login successful", tokens, user), EmulatorJsonContext.Wire.SignInResponse);
    }
}
