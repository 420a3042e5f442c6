using System.Reflection;
using System.Text;

namespace Mudbase.Benchmarks;

/// <summary>The canned answers (shaped as the emulator and CONTRACT.md answer) and the fixed inputs of every run.</summary>
public static class Payloads
{
    /// <summary>
    /// What the SDK sends as User-Agent (mudbase-dotnet/ and its package version, read from the public assembly's
    /// attribute as the SDK does); the baseline and Refit send the same. `-- verify` checks they match.
    /// </summary>
    public static readonly string UserAgent = "mudbase-dotnet/" + (typeof(MudbaseClient).Assembly
        .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0");

    public const string ProjectId = "685ad30be129932fbb7a1048";
    public const string UserId = "6922c1f3a1b2c3d4e5f60718";
    public const string Email = "ada@northwind.dev";
    public const string Password = "Str0ng_Pass!w0rd";

    // A JWT of the emulator's size (HS256, claims id, email, projectId, iat, exp).
    public const string Token =
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpZCI6IjY5MjJjMWYzYTFiMmMzZDRlNWY2MDcxOCIsImVtYWlsIjoiYWRhQG5vcnRod2luZC5kZXYiLCJwcm9qZWN0SWQiOiI2ODVhZDMwYmUxMjk5MzJmYmI3YTEwNDgiLCJpYXQiOjE3OTU0MzA0MDAsImV4cCI6MTc5NTUxNjgwMH0.q8Yb0kY1mB3yO3o6y1b9kJ8qv6m2mH2f0Y7kZ2l9W3E";
    public const string RefreshToken = "4f1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a";

    public static readonly byte[] AnonymousAnswer = Encoding.UTF8.GetBytes(
        $$$"""{"message":"Anonymous session created","token":"{{{Token}}}","refreshToken":"{{{RefreshToken}}}","expiresIn":86400,"user":{"id":"{{{UserId}}}","email":"anonymous_3f9a1c2b7d4e5f60@anonymous.local","firstName":"Anonymous","lastName":"User","role":"viewer","isAnonymous":true,"customRole":null}}""");

    /// <summary>201 from a project without email verification: tokens and the user.</summary>
    public static readonly byte[] RegisterAnswer = Encoding.UTF8.GetBytes(
        $$$"""{"message":"User registered successfully","requireVerification":false,"token":"{{{Token}}}","refreshToken":"{{{RefreshToken}}}","expiresIn":86400,"user":{"id":"{{{UserId}}}","email":"{{{Email}}}","firstName":"Ada","lastName":"Lovelace","emailVerified":true,"customRole":null}}""");

    public static readonly byte[] SessionAnswer = Encoding.UTF8.GetBytes(
        $$$"""{"user":{"id":"{{{UserId}}}","email":"{{{Email}}}","firstName":"Ada","lastName":"Lovelace","role":"viewer","customRole":null,"emailVerified":true,"isAnonymous":false},"authenticated":true}""");
}
