using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Auth;

// The success bodies of the auth endpoints, field for field as the live server writes them.
// Register has two types rather than one with optional tokens: with verification on, the token
// fields must be absent, not null.

internal sealed record MessageResponse(string Message);

internal sealed record AnonymousUserBody(
    string Id, string Email, string FirstName, string LastName, string Role, bool IsAnonymous, string? CustomRole);

internal sealed record AnonymousSessionResponse(
    string Message, string Token, string RefreshToken, long ExpiresIn, AnonymousUserBody User);

internal sealed record RegisteredUserBody(
    string Id, string Email, string FirstName, string LastName, bool EmailVerified, string? CustomRole);

internal sealed record RegisterPendingResponse(string Message, bool RequireVerification, RegisteredUserBody User);

internal sealed record RegisterSessionResponse(
    string Message, bool RequireVerification, string Token, string RefreshToken, long ExpiresIn, RegisteredUserBody User);

/// <summary>
/// The user as the sign-in, session and role-signup answers show it: the fields of the spec's
/// login and role-signup users, plus <c>isAnonymous</c>, which tells a converted guest apart.
/// </summary>
internal sealed record UserBody(
    string Id, string Email, string FirstName, string LastName, string Role, string? CustomRole, bool EmailVerified, bool IsAnonymous)
{
    public static UserBody From(UserAccount user) =>
        new(user.Id, user.Email, user.FirstName, user.LastName, user.Role, user.CustomRole, user.EmailVerified, user.IsAnonymous);
}

/// <summary>A sign-in's answer: login, guest conversion, magic link, OTP.</summary>
internal sealed record SignInResponse(string Message, string Token, string RefreshToken, long ExpiresIn, UserBody User)
{
    public SignInResponse(string message, TokenSet tokens, UserAccount user)
        : this(message, tokens.Token, tokens.RefreshToken, tokens.ExpiresIn, UserBody.From(user))
    {
    }
}

internal sealed record RefreshResponse(string Message, string Token, string RefreshToken, long ExpiresIn);

internal sealed record SessionResponse(UserBody User, bool Authenticated);

internal sealed record RoleBody(string Slug, string Name, string Description)
{
    public static RoleBody From(ProjectRole role) => new(role.Slug, role.Name, role.Description);
}

internal sealed record RoleSignupPendingResponse(string Message, bool RequireVerification, UserBody User, RoleBody Role);

internal sealed record RoleSignupSessionResponse(
    string Message, bool RequireVerification, string Token, string RefreshToken, long ExpiresIn, UserBody User, RoleBody Role);

internal sealed record OAuthProviderBody(
    string Name, string DisplayName, string Strategy, IReadOnlyList<string> DefaultScope, string CallbackUrl, IReadOnlyList<string> RequiredFields);

internal sealed record OAuthProvidersResponse(IReadOnlyList<OAuthProviderBody> Providers, int Total);
