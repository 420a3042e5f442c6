namespace Mudbase.Emulator.Auth;

/// <summary>The secret of a legacy password-reset link, sent alongside the OTP.</summary>
internal sealed record PasswordResetToken(string Token, string UserId, string ProjectId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);
