using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;

namespace Mudbase.Emulator.Infrastructure;

/// <summary>The random secrets messages and redirects carry.</summary>
internal static class Secrets
{
    /// <summary>A 6-digit code, leading zeros kept, as OTP messages show it.</summary>
    public static string SixDigitCode() => RandomNumberGenerator.GetInt32(1_000_000).ToString("D6", CultureInfo.InvariantCulture);

    /// <summary>256 random bits in Base64url: safe in a URL query without escaping.</summary>
    public static string UrlToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
