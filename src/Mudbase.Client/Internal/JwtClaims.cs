using System.Text.Json;

namespace Mudbase.Internal;

/// <summary>
/// Reads the claims of an access token (<c>id</c>, <c>email</c>, <c>iat</c>, <c>exp</c>) without checking its signature:
/// only the server can do that; the client just needs to know whose token it holds.
/// </summary>
internal readonly record struct JwtClaims(string? UserId, string? Email, int? ExpiresIn)
{
    public static JwtClaims Read(string token)
    {
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return default;
        }

        try
        {
            var payload = DecodeBase64Url(parts[1]);
            using var document = JsonDocument.Parse(payload);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return default;
            }

            int? lifetime = root.TryGetProperty("exp", out var exp) && exp.TryGetInt64(out var expSeconds) &&
                            root.TryGetProperty("iat", out var iat) && iat.TryGetInt64(out var iatSeconds)
                ? (int)Math.Clamp(expSeconds - iatSeconds, 0, int.MaxValue)
                : null;
            return new JwtClaims(GetString(root, "id") ?? GetString(root, "_id") ?? GetString(root, "sub"), GetString(root, "email"), lifetime);
        }
        catch (Exception ex) when (ex is FormatException or JsonException)
        {
            return default;
        }
    }

    /// <summary>The user a token names, for answers that carry tokens without a user.</summary>
    public Auth.MudbaseUser ToUser() => new(UserId ?? "", Email ?? "");

    private static byte[] DecodeBase64Url(string text)
    {
        var base64 = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '='));
    }

    private static string? GetString(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
