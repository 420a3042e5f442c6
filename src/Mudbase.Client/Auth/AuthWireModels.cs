namespace Mudbase.Auth;

// The shapes on the wire (CONTRACT.md). They stay internal: the facade maps them to the public results.

internal sealed class AnonymousRequestBody
{
    public string? ProjectId { get; init; }
    public string? DeviceId { get; init; }
}

internal sealed class RegisterRequestBody
{
    public required string Email { get; init; }
    public required string Password { get; init; }
    public required string FirstName { get; init; }
    public required string LastName { get; init; }
    public required string ProjectId { get; init; }

    /// <summary>Role signup only; omitted otherwise.</summary>
    public bool? AgreedToTerms { get; init; }
}

internal sealed class LoginRequestBody
{
    public required string Email { get; init; }
    public required string Password { get; init; }
    public required string ProjectId { get; init; }
}

internal sealed class RefreshRequestBody
{
    public required string RefreshToken { get; init; }
}

internal sealed class ConvertRequestBody
{
    public required string Email { get; init; }
    public required string Password { get; init; }
    public string? FirstName { get; init; }
    public string? LastName { get; init; }
}

internal sealed class VerifyEmailRequestBody
{
    public required string Token { get; init; }
    public string? ProjectId { get; init; }
}

/// <summary>Resend verification and the OTP password-reset request.</summary>
internal sealed class EmailProjectRequestBody
{
    public required string Email { get; init; }
    public required string ProjectId { get; init; }
}

internal sealed class ConfirmPasswordResetRequestBody
{
    public required string Email { get; init; }
    public required string ProjectId { get; init; }
    public required string Otp { get; init; }
    public required string NewPassword { get; init; }
}

internal sealed class ResetPasswordRequestBody
{
    public required string Password { get; init; }
    public string? ProjectId { get; init; }
}

internal sealed class SendMagicLinkRequestBody
{
    public required string Email { get; init; }
    public required string ProjectId { get; init; }
    public string? RedirectUrl { get; init; }
}

internal sealed class TokenRequestBody
{
    public required string Token { get; init; }
}

internal sealed class SendOtpRequestBody
{
    public required string ProjectId { get; init; }
    public required string Method { get; init; }
    public string? Email { get; init; }
    public string? Phone { get; init; }
}

internal sealed class VerifyOtpRequestBody
{
    public required string Identifier { get; init; }
    public required string Otp { get; init; }
    public required string ProjectId { get; init; }
}

/// <summary>A token set with its user: anonymous, login, convert, magic link, OTP.</summary>
internal sealed class SessionResponse
{
    public string? Message { get; init; }
    public required string Token { get; init; }
    public required string RefreshToken { get; init; }
    public required int ExpiresIn { get; init; }
    public required MudbaseUser User { get; init; }
}

/// <summary>A refreshed token set; the user is usually absent.</summary>
internal sealed class RefreshResponse
{
    public string? Message { get; init; }
    public required string Token { get; init; }
    public required string RefreshToken { get; init; }
    public required int ExpiresIn { get; init; }
    public MudbaseUser? User { get; init; }
}

internal sealed class RegisterResponse
{
    public string? Message { get; init; }
    public bool? RequireVerification { get; init; }
    public string? Token { get; init; }
    public string? RefreshToken { get; init; }
    public int? ExpiresIn { get; init; }
    public MudbaseUser? User { get; init; }
    public MudbaseRole? Role { get; init; }
}

internal sealed class MessageResponse
{
    public string? Message { get; init; }
}

internal sealed class SessionInfoResponse
{
    public MudbaseUser? User { get; init; }
    public bool Authenticated { get; init; }
}

internal sealed class OAuthProvidersResponse
{
    public IReadOnlyList<OAuthProviderInfo>? Providers { get; init; }
}
