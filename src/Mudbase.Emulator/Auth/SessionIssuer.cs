using System.Buffers.Text;
using System.Security.Cryptography;
using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Auth;

/// <summary>The tokens a sign-in hands out: <c>token</c>, <c>refreshToken</c> and <c>expiresIn</c> (seconds).</summary>
internal readonly record struct TokenSet(string Token, string RefreshToken, long ExpiresIn);

/// <summary>
/// Starts and continues sessions: signs the access tokens and keeps the refresh tokens
/// server-side, where rotation and reuse detection can find them. Refresh tokens are opaque
/// random strings, so a client cannot come to rely on reading anything out of them.
/// </summary>
internal sealed class SessionIssuer(
    AuthState auth,
    ObjectIdGenerator ids,
    JwtSigner jwt,
    TimeProvider timeProvider,
    TimeSpan accessTokenLifetime,
    TimeSpan refreshTokenLifetime)
{
    public TokenSet StartSession(UserAccount user)
    {
        var now = timeProvider.GetUtcNow();
        var session = new AuthSession(ids.Next(), user.Id, user.ProjectId, now);
        var refreshToken = new RefreshTokenRecord(NewRefreshToken(), session.Id, user.Id, now, now + refreshTokenLifetime);
        auth.AddSession(session, refreshToken);
        return IssueTokens(user, session.Id, refreshToken.Token);
    }

    /// <summary>
    /// Exchanges a refresh token for a new pair of the same session. Each new refresh token gets a
    /// full lifetime of its own, so an app in regular use stays signed in.
    /// </summary>
    /// <returns>The outcome, and the new tokens when it is <see cref="RefreshStatus.Rotated"/>.</returns>
    public (RefreshStatus Status, TokenSet Tokens) Refresh(string presented)
    {
        var now = timeProvider.GetUtcNow();
        var successor = NewRefreshToken();
        var outcome = auth.RotateRefreshToken(presented, successor, now, now + refreshTokenLifetime);
        return outcome.Status == RefreshStatus.Rotated
            ? (outcome.Status, IssueTokens(outcome.User!, outcome.SessionId!, successor))
            : (outcome.Status, default);
    }

    private TokenSet IssueTokens(UserAccount user, string sessionId, string refreshToken) =>
        new(jwt.CreateAccessToken(user.Id, user.Email, sessionId, accessTokenLifetime), refreshToken, (long)accessTokenLifetime.TotalSeconds);

    private static string NewRefreshToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
