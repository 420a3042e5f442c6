using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Mudbase.Emulator.Infrastructure;

/// <summary>What a valid access token says: whose it is and which session it belongs to.</summary>
internal readonly record struct AccessTokenClaims(string UserId, string SessionId);

/// <summary>
/// Signs and checks access tokens as the hosted service does: HS256 JWTs with the claims
/// <c>id</c>, <c>email</c>, <c>iat</c> and <c>exp</c> (Unix seconds), plus <c>sid</c>, the
/// session, so that revoking a session can end its access tokens before they expire, and
/// <c>jti</c>, a random id, so that two tokens issued in the same second still differ (a client
/// checking that a refresh gave it a new token must not be fooled by the clock). Written by
/// hand because one HMAC is all it takes, and a JWT package would be the emulator's only dependency.
/// </summary>
internal sealed class JwtSigner(TimeProvider timeProvider)
{
    private static readonly string EncodedHeader = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);

    // Random per instance: a token from one emulator means nothing to another.
    private readonly byte[] _secret = RandomNumberGenerator.GetBytes(32);

    public string CreateAccessToken(string userId, string email, string sessionId, TimeSpan lifetime)
    {
        // Whole seconds, as jsonwebtoken computes them: iat rounded down, exp = iat + lifetime.
        var issuedAt = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var signingInput = EncodedHeader + "." + Base64Url.EncodeToString(WritePayload(userId, email, sessionId, issuedAt, issuedAt + (long)lifetime.TotalSeconds));
        return signingInput + "." + Sign(signingInput);
    }

    /// <summary>
    /// Checks the signature and expiry (a token is expired from its <c>exp</c> second on). The
    /// session is the caller's to check: this class knows nothing of revocation.
    /// </summary>
    public bool TryValidate(string token, out AccessTokenClaims claims)
    {
        claims = default;
        var parts = token.Split('.');
        // Only our own header is accepted, which also shuts out "alg":"none" and algorithm swaps.
        if (parts.Length != 3 || parts[0] != EncodedHeader)
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Sign(parts[0] + "." + parts[1]));
        if (!CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(parts[2])))
        {
            return false;
        }

        // The signature is ours, so the payload is one WritePayload wrote.
        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
        var root = payload.RootElement;
        if (timeProvider.GetUtcNow().ToUnixTimeSeconds() >= root.GetProperty("exp").GetInt64())
        {
            return false;
        }

        claims = new AccessTokenClaims(root.GetProperty("id").GetString()!, root.GetProperty("sid").GetString()!);
        return true;
    }

    private string Sign(string signingInput) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(_secret, Encoding.ASCII.GetBytes(signingInput)));

    private static byte[] WritePayload(string userId, string email, string sessionId, long issuedAt, long expiresAt)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", userId);
            writer.WriteString("email", email);
            writer.WriteString("sid", sessionId);
            writer.WriteString("jti", RandomNumberGenerator.GetHexString(16, lowercase: true));
            writer.WriteNumber("iat", issuedAt);
            writer.WriteNumber("exp", expiresAt);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
