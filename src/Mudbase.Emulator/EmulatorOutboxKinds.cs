namespace Mudbase.Emulator;

/// <summary>The values of <see cref="EmulatorOutboxMessage.Kind"/>.</summary>
public static class EmulatorOutboxKinds
{
    /// <summary>An email-verification message; <see cref="EmulatorOutboxMessage.Token"/> is what <c>POST /api/auth/verify-email</c> takes.</summary>
    public const string VerifyEmail = "verify-email";

    /// <summary>
    /// A password-reset message: <see cref="EmulatorOutboxMessage.Code"/> is the OTP for
    /// <c>…/password-reset/confirm</c>, <see cref="EmulatorOutboxMessage.Token"/> the legacy <c>…/password-reset/{token}</c> token.
    /// </summary>
    public const string PasswordReset = "password-reset";

    /// <summary>A sign-in link; <see cref="EmulatorOutboxMessage.Token"/> is what <c>POST /api/auth/magic-link/verify</c> takes.</summary>
    public const string MagicLink = "magic-link";

    /// <summary>A sign-in code by email or SMS; <see cref="EmulatorOutboxMessage.Code"/> is what <c>POST /api/auth/otp/verify</c> takes.</summary>
    public const string Otp = "otp";
}
