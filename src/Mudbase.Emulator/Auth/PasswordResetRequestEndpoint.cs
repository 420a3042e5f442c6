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
internal sealed class PasswordResetRequestEndpoint(EmulatorStore store, AuthState auth, TimeProvider timeProvider)
{
    private static readonly TimeSpan CodeLifetime = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(1);

    public async Task<IResult> HandleAsync(HttpRequest request)
    {
        var (error, user) = await AccountEmailRequest.ReadAsync(request, store).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        if (user is not null)
        {
            var now = timeProvider.GetUtcNow();
            var code = new OneTimeCode(user.Id, user.ProjectId, Secrets.SixDigitCode(), now, now + CodeLifetime);
            var token = new PasswordResetToken(Secrets.UrlToken(), user.Id, user.ProjectId, now, now + LinkLifetime);
            auth.StartPasswordReset(code, token);
            store.AddToOutbox(new EmulatorOutboxMessage(user.Email, EmulatorOutboxKinds.PasswordReset, token.Token, code.Code, Link: null, now));
        }

        return TypedResults.Json(
            new MessageResponse("If an account exists, a verification code has been sent to your email"),
            EmulatorJsonContext.Wire.MessageResponse);
    }
}
