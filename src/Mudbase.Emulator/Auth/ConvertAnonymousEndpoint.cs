using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Auth;

/// <summary>
/// <c>POST /api/auth/anonymous/convert</c> (Bearer of a guest): gives the guest an email and
/// password under the same user id, so everything it owns stays its own. The guest session ends
/// and a new one starts, whose tokens carry the new email. Names not sent stay as they were
/// ("Anonymous", "User"). On a project that requires verification the answer still signs the
/// user in, as the live one does, but the email starts unverified and a verification email goes
/// to the outbox: password sign-ins wait for it, as after registering.
/// </summary>
internal sealed class ConvertAnonymousEndpoint(
    EmulatorStore store, AuthState auth, BearerAuthenticator bearer, SessionIssuer sessions, EmailVerificationMailer mailer, TimeProvider timeProvider)
{
    public async Task<IResult> HandleAsync(HttpRequest request)
    {
        if (!bearer.TryAuthenticate(request, out var caller, out var error))
        {
            return error;
        }

        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return ErrorResults.InvalidJson();
        }

        var errors = new List<string>();
        var email = BodyFields.RequiredEmail(body, "email", errors);
        var password = BodyFields.RequiredString(body, "password", errors, RegisterRequest.MinimumPasswordLength);
        var firstName = BodyFields.OptionalString(body, "firstName", errors);
        var lastName = BodyFields.OptionalString(body, "lastName", errors);
        if (email is null || password is null || errors.Count > 0)
        {
            return ErrorResults.ValidationFailed(errors);
        }

        var project = store.FindProject(caller.User.ProjectId)!;
        var outcome = auth.ConvertAnonymousUser(
            caller.User.Id,
            caller.SessionId,
            email.ToLowerInvariant(),
            PasswordHasher.Hash(password),
            firstName,
            lastName,
            emailVerified: !project.RequireEmailVerification,
            timeProvider.GetUtcNow());
        switch (outcome.Status)
        {
            case ConversionStatus.NotAnonymous:
                return ErrorResults.BadRequest("Only anonymous accounts can be converted");
            case ConversionStatus.EmailTaken:
                return ErrorResults.UserExists();
        }

        var user = outcome.User!;
        if (!user.EmailVerified)
        {
            mailer.Send(user);
        }

        var tokens = sessions.StartSession(user);
        return TypedResults.Json(new SignInResponse("Account created successfully", tokens, user), EmulatorJsonContext.Wire.SignInResponse);
    }
}
