using System.Text.Json.Serialization;

namespace Mudbase.Auth;

/// <summary>A signed-in session: the access token, the refresh token, when it expires, and who it belongs to.</summary>
/// <remarks><see cref="ToString"/> never shows the tokens.</remarks>
public sealed class AuthSession
{
    /// <summary>Creates a session, for example one restored from storage or built for a test.</summary>
    /// <param name="token">The access token (a JWT).</param>
    /// <param name="refreshToken">The refresh token: single-use, replaced on every refresh.</param>
    /// <param name="expiresIn">The access token's lifetime in seconds, as the server gave it.</param>
    /// <param name="expiresAt">When the access token expires.</param>
    /// <param name="user">The signed-in user.</param>
    /// <param name="message">The server's message, if any.</param>
    [JsonConstructor]
    public AuthSession(string token, string refreshToken, int expiresIn, DateTimeOffset expiresAt, MudbaseUser user, string? message = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        ArgumentException.ThrowIfNullOrWhiteSpace(refreshToken);
        ArgumentNullException.ThrowIfNull(user);
        Token = token;
        RefreshToken = refreshToken;
        ExpiresIn = expiresIn;
        ExpiresAt = expiresAt;
        User = user;
        Message = message;
    }

    /// <summary>The access token, sent as <c>Authorization: Bearer</c>.</summary>
    public string Token { get; }

    /// <summary>The refresh token. Single-use: the server revokes the session if it sees one twice.</summary>
    public string RefreshToken { get; }

    /// <summary>The access token's lifetime in seconds, as the server gave it.</summary>
    public int ExpiresIn { get; }

    /// <summary>When the access token expires (the time it arrived plus <see cref="ExpiresIn"/>).</summary>
    public DateTimeOffset ExpiresAt { get; }

    /// <summary>The signed-in user.</summary>
    public MudbaseUser User { get; }

    /// <summary>The server's message, such as <c>Anonymous session created</c>.</summary>
    public string? Message { get; }

    /// <summary>The <c>Authorization</c> header value, made once per session rather than on every request.</summary>
    internal string AuthorizationValue => field ??= "Bearer " + Token;

    /// <inheritdoc />
    public override string ToString() => $"AuthSession {{ User = {User.Id}, ExpiresAt = {ExpiresAt:O}, Token = ***, RefreshToken = *** }}";
}
