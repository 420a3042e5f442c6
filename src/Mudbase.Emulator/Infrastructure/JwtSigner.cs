using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Mudbase.Emulator.Infrastructure;

/// <summary>
/// Signs access tokens as the hosted service does: HS256 JWTs with the claims <c>id</c>,
/// <c>email</c>, <c>iat</c> and <c>exp</c> (Unix seconds). Written by hand because one HMAC is
/// all it takes, and a JWT package would be the emulator's only dependency.
/// </summary>
internal sealed class JwtWriter(TimeProvider timeProvider)
{
    private static readonly string EncodedHeader = Base64Url.EncodeToString("""{"alg":"HS256","typ":"JWT"}"""u8);

    // Random per instance: a token from one emulator means nothing to another.
    private readonly byte[] _secret = RandomNumberGenerator.GetBytes(32);

    public string CreateAccessToken(string userId, string email, TimeSpan lifetime)
    {
        var issuedAt = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var signingInput = EncodedHeader + "." + Base64Url.EncodeToString(WritePayload(userId, email, issuedAt, issuedAt + (long)lifetime.TotalSeconds));
        var signature = HMACSHA256.HashData(_secret, Encoding.ASCII.GetBytes(signingInput));
        return signingInput + "." + Base64Url.EncodeToString(signature);
    }

    private static byte[] WritePayload(string userId, string email, long issuedAt, long expiresAt)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", userId);
            writer.WriteString("email", email);
            writer.WriteNumber("iat", issuedAt);
            writer.WriteNumber("exp", expiresAt);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
