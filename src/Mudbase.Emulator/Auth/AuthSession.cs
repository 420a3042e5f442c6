namespace Mudbase.Emulator.Auth;

/// <summary>
/// One sign-in: the family of refresh tokens that rotate from it. Revoking the session ends every
/// token of the family, which is how reuse of a spent refresh token is punished.
/// </summary>
internal sealed record AuthSession(string Id, string UserId, string ProjectId, DateTimeOffset CreatedAt)
{
    public DateTimeOffset? RevokedAt { get; init; }
}
