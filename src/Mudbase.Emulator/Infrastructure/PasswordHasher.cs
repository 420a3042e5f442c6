using System.Globalization;
using System.Security.Cryptography;

namespace Mudbase.Emulator.Infrastructure;

/// <summary>
/// Hashes passwords with PBKDF2-SHA256 into <c>pbkdf2-sha256$iterations$salt$hash</c> (Base64),
/// so the emulator never keeps a password in clear.
/// </summary>
internal static class PasswordHasher
{
    // Far below a production setting on purpose: the emulator guards no real accounts, and test
    // suites register many users on small CI machines.
    private const int Iterations = 10_000;
    private const int SaltSize = 16;
    private const int HashSize = 32;
    private const string Scheme = "pbkdf2-sha256";

    public static string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, Iterations, HashAlgorithmName.SHA256, HashSize);
        return string.Create(CultureInfo.InvariantCulture, $"{Scheme}${Iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}");
    }

    /// <summary>Whether the password matches a hash <see cref="Hash"/> made; <see langword="false"/> for a null hash (no password set).</summary>
    public static bool Verify(string password, string? encodedHash)
    {
        if (encodedHash?.Split('$') is not [Scheme, var iterations, var salt, var hash])
        {
            return false;
        }

        var expected = Convert.FromBase64String(hash);
        var actual = Rfc2898DeriveBytes.Pbkdf2(
            password, Convert.FromBase64String(salt), int.Parse(iterations, CultureInfo.InvariantCulture), HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
