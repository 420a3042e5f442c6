namespace Mudbase.Emulator.Auth;

/// <summary>
/// A refresh token as the server remembers it. Tokens are single-use: <see cref="UsedAt"/> is set
/// when one is exchanged, and presenting it again revokes its whole session.
/// </summary>
internal sealed record RefreshTokenRecord(
    string Token,
    string SessionId,
    string UserId,
    DateTimeOffset IssuedAt,
    DateTimeOffset ExpiresAt)
{
    public DateTimeOffset? UsedAt { get; init; }
}
