namespace Mudbase.Emulator.Auth;

/// <summary>
/// The secret of a sign-in link. It names an email rather than a user: sending a link creates
/// nothing, and the user (if new) is created only when the link is used.
/// </summary>
internal sealed record MagicLinkToken(string Token, string ProjectId, string Email, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);
