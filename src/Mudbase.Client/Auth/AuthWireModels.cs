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
}

/// <summary>A token set with its user (anonymous, and later login, OTP, magic link).</summary>
internal sealed class SessionResponse
{
    public string? Message { get; init; }
    public required string Token { get; init; }
    public required string RefreshToken { get; init; }
    public required int ExpiresIn { get; init; }
    public required MudbaseUser User { get; init; }
}

internal sealed class RegisterResponse
{
    public string? Message { get; init; }
    public bool? RequireVerification { get; init; }
    public string? Token { get; init; }
    public string? RefreshToken { get; init; }
    public int? ExpiresIn { get; init; }
    public MudbaseUser? User { get; init; }
}
