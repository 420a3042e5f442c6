using Mudbase.Emulator.Infrastructure;

namespace Mudbase.Emulator.Auth;

/// <summary>
/// <c>POST /api/auth/magic-link/verify</c>: spends a magic-link token and signs its email in,
/// creating the user if the project has none with that email, and marking the email verified
/// either way: following the link proved it.
/// </summary>
internal sealed class MagicLinkVerifyEndpoint(AuthState auth, PasswordlessUsers users, SessionIssuer sessions, TimeProvider timeProvider)
{
    public async Task<IResult> HandleAsync(HttpRequest request)
    {
        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return ErrorResults.InvalidJson();
        }

        var errors = new List<string>();
        if (BodyFields.RequiredString(body, "token", errors) is not { } token)
        {
            return ErrorResults.ValidationFailed(errors);
        }

        if (auth.TakeMagicLinkToken(token, timeProvider.GetUtcNow()) is not { } magicLink)
        {
            return ErrorResults.BadRequest("Invalid or expired magic link");
        }

        var user = users.ForVerifiedEmail(magicLink.ProjectId, magicLink.Email);
        var tokens = sessions.StartSession(user);
        return TypedResults.Json(new SignInResponse("Magic link verified successfully", tokens, user), EmulatorJsonContext.Wire.SignInResponse);
    }
}
