using System.Buffers.Text;
using System.Security.Cryptography;
using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Auth;

/// <summary>The tokens a sign-in hands out: <c>token</c>, <c>refreshToken</c> and <c>expiresIn</c> (seconds).</summary>
internal readonly record struct TokenSet(string Token, string RefreshToken, long ExpiresIn);

/// <summary>
/// Starts sessions: signs the access token and stores the refresh token server-side, where
/// rotation and reuse detection can find it. Refresh tokens are opaque random strings, so a
/// client cannot come to rely on reading anything out of them.
/// </summary>
internal sealed class SessionIssuer(
    EmulatorStore store,
    ObjectIdGenerator ids,
    JwtWriter jwt,
    TimeProvider timeProvider,
    TimeSpan accessTokenLifetime,
    TimeSpan refreshTokenLifetime)
{
    public TokenSet StartSession(UserAccount user)
    {
        var now = timeProvider.GetUtcNow();
        var session = new AuthSession(ids.Next(), user.Id, user.ProjectId, now);
        var refreshToken = new RefreshTokenRecord(
            Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32)), session.Id, user.Id, now, now + refreshTokenLifetime);
        store.AddSession(session, refreshToken);

        return new TokenSet(
            jwt.CreateAccessToken(user.Id, user.Email, accessTokenLifetime),
            refreshToken.Token,
            (long)accessTokenLifetime.TotalSeconds);
    }
}
