using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Auth;

/// <summary>
/// <c>POST /api/auth/resend-verification</c>: sends a new verification email when the project has
/// an unverified user with that email. The answer is the same either way, so that it cannot be
/// used to find out who has an account. Without a projectId the hosted service looks for an org
/// account; the emulator has none, so nothing is sent.
/// </summary>
internal sealed class ResendVerificationEndpoint(EmulatorStore store, EmailVerificationMailer mailer)
{
    public async Task<IResult> HandleAsync(HttpRequest request)
    {
        var (error, user) = await AccountEmailRequest.ReadAsync(request, store).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        if (user is { EmailVerified: false })
        {
            mailer.Send(user);
        }

        return TypedResults.Json(
            new MessageResponse("If an account exists and is unverified, a verification email has been sent"),
            EmulatorJsonContext.Wire.MessageResponse);
    }
}
