using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Auth;

/// <summary>
/// <c>POST /api/auth/local/password-reset</c>: when the project has a user with that email, sends
/// one message with a 6-digit code (for <c>…/password-reset/confirm</c>) and a legacy link token
/// (for <c>…/password-reset/{token}</c>); a new request voids the secrets of earlier ones. The
/// answer is the same either way, so that it cannot be used to find out who has an account.
/// Without a projectId the hosted service resets an org account; the emulator has none.
/// </summary>
internal sealed class PasswordResetRequestEndpoint(EmulatorStore store, TimeProvider timeProvider)
{
    private static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(1);

    public async Task<IResult> HandleAsync(HttpRequest request)
    {
        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return ErrorResults.InvalidJson();
        }

        var errors = new List<string>();
        var email = BodyFields.RequiredEmail(body, "email", errors);
        var projectId = BodyFields.OptionalString(body, "projectId", errors);
        if (email is null || errors.Count > 0)
        {
            return ErrorResults.ValidationFailed(errors);
        }

        if (projectId is not null)
        {
            if (!ProjectLookup.TryFind(store, projectId, out var project, out var error))
            {
                return error;
            }

            if (store.FindUserByEmail(project.Id, email.ToLowerInvariant()) is { } user)
            {
                var now = timeProvider.GetUtcNow();
                var code = new OneTimeCode(user.Id, project.Id, Secrets.SixDigitCode(), now, now + CodeLifetime);
                var token = new PasswordResetToken(Secrets.UrlToken(), user.Id, project.Id, now, now + LinkLifetime);
                store.StartPasswordReset(code, token);
                store.AddToOutbox(new EmulatorOutboxMessage(user.Email, EmulatorOutboxKinds.PasswordReset, token.Token, code.Code, Link: null, now));
            }
        }

        return TypedResults.Json(
            new MessageResponse("If an account exists, a verification code has been sent to your email"),
            EmulatorJsonContext.Wire.MessageResponse);
    }
}
