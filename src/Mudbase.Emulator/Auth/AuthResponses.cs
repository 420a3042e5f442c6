namespace Mudbase.Emulator.Auth;

// The success bodies of the auth endpoints, field for field as the live server writes them.
// Register has two types rather than one with optional tokens: with verification on, the token
// fields must be absent, not null.

internal sealed record AnonymousUserBody(
    string Id, string Email, string FirstName, string LastName, string Role, bool IsAnonymous, string? CustomRole);

internal sealed record AnonymousSessionResponse(
    string Message, string Token, string RefreshToken, long ExpiresIn, AnonymousUserBody User);

internal sealed record RegisteredUserBody(
    string Id, string Email, string FirstName, string LastName, bool EmailVerified, string? CustomRole);

internal sealed record RegisterPendingResponse(string Message, bool RequireVerification, RegisteredUserBody User);

internal sealed record RegisterSessionResponse(
    string Message, bool RequireVerification, string Token, string RefreshToken, long ExpiresIn, RegisteredUserBody User);
