namespace Mudbase.Emulator.Auth;

/// <summary>
/// A 6-digit code a message would carry (password-reset OTP, OTP sign-in). Only the newest code
/// for a subject is kept, and a code is spent by its first successful use. The subject is whom
/// the code is for: a user id for password resets, the email or phone number for sign-in.
/// </summary>
internal sealed record OneTimeCode(string Subject, string ProjectId, string Code, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt)
{
    /// <summary>
    /// Wrong guesses so far. Six digits fall to a million guesses, so a code is burnt after a few
    /// misses: without this, turning the rate limits off would make every code guessable.
    /// </summary>
    public int FailedAttempts { get; init; }
}
