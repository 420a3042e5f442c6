namespace Mudbase.Emulator.Auth;

/// <summary>The secret a verification email would carry; the emulator keeps it instead of mailing it.</summary>
internal sealed record EmailVerificationToken(
    string Token,
    string UserId,
    string ProjectId,
    string Email,
    DateTimeOffset CreatedAt,
    DateTimeOffset ExpiresAt);
