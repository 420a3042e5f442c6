using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Mudbase.Emulator.Storage;

/// <summary>
/// The <c>?token=</c> of a signed download URL: the file and the second it expires, signed with a secret of this
/// emulator (HMAC-SHA256), so that it cannot be forged, moved to another file or extended. Expiry is by the
/// emulator's clock, so a test can advance a fake one past it.
/// </summary>
internal sealed class DownloadTokens(TimeProvider timeProvider)
{
    // Random per instance: a token from one emulator means nothing to another.
    private readonly byte[] _secret = RandomNumberGenerator.GetBytes(32);

    /// <summary>A token for <paramref name="fileId"/>, valid until <paramref name="expiresAt"/> (whole seconds).</summary>
    public string Create(string fileId, DateTimeOffset expiresAt)
    {
        var expires = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return expires + "." + Sign(fileId, expires);
    }

    /// <summary>A signed download URL for a file, valid for <paramref name="seconds"/> from now.</summary>
    public (string Url, DateTimeOffset ExpiresAt) Sign(StorageUrls urls, string fileId, int seconds)
    {
        var expiresAt = timeProvider.GetUtcNow().AddSeconds(seconds);
        return (urls.Signed(fileId, Create(fileId, expiresAt)), expiresAt);
    }

    public bool IsValid(string? token, string fileId)
    {
        var dot = token?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (dot <= 0)
        {
            return false;
        }

        var expires = token![..dot];
        if (!long.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || !CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Sign(fileId, expires)), Encoding.ASCII.GetBytes(token[(dot + 1)..])))
        {
            return false;
        }

        return timeProvider.GetUtcNow().ToUnixTimeSeconds() < seconds;
    }

    private string Sign(string fileId, string expires) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(_secret, Encoding.ASCII.GetBytes(fileId + "." + expires)));
}
