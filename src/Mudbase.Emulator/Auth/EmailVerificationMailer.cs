using System.Security.Cryptography;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Auth;

/// <summary>
/// "Sends" a verification email: keeps a new token for <c>POST /api/auth/verify-email</c> and puts
/// it in the outbox, where the email would have carried it. Earlier tokens stay valid until they
/// expire or the email is verified, as links in earlier emails would.
/// </summary>
internal sealed class EmailVerificationMailer(EmulatorStore store, AuthState auth, TimeProvider timeProvider)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    public void Send(UserAccount user)
    {
        var now = timeProvider.GetUtcNow();
        var token = new EmailVerificationToken(RandomNumberGenerator.GetHexString(64, lowercase: true), user.Id, user.ProjectId, user.Email, now, now + Lifetime);
        auth.AddEmailVerificationToken(token);
        store.AddToOutbox(new EmulatorOutboxMessage(user.Email, EmulatorOutboxKinds.VerifyEmail, token.Token, Code: null, Link: null, now));
    }
}
