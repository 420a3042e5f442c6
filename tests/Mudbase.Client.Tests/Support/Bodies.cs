namespace Mudbase.Tests.Support;

/// <summary>Answers as the live service gives them (CONTRACT.md).</summary>
internal static class Bodies
{
    public const string UserId = "685acbe0e129932fbb7a0fc2";
    public const string AccessToken = "eyJhbGciOiJIUzI1NiJ9.eyJpZCI6IjY4NWFjYmUwIn0.c2VjcmV0LWFjY2Vzcy1zaWduYXR1cmU";
    public const string RefreshToken = "rt_9f8e7d6c5b4a39281706f5e4d3c2b1a0";

    public static string AnonymousSession(string user = AnonymousUser, int expiresIn = 86400) =>
        $$"""{"message":"Anonymous session created","token":"{{AccessToken}}","refreshToken":"{{RefreshToken}}","expiresIn":{{expiresIn}},"user":{{user}}}""";

    public const string AnonymousUser =
        """{"id":"685acbe0e129932fbb7a0fc2","email":"anonymous_abc123@anonymous.local","firstName":"Anonymous","lastName":"User","role":"viewer","isAnonymous":true,"customRole":null}""";

    public const string RegisteredUser =
        """{"id":"685acbe0e129932fbb7a0fc2","email":"ada@northwind.dev","firstName":"Ada","lastName":"Lovelace","emailVerified":false,"customRole":null}""";

    public const string RegisterVerificationWithUser =
        $$"""{"message":"Check your email to verify your account","requireVerification":true,"user":{{RegisteredUser}}}""";

    public const string RegisterVerificationWithoutUser =
        """{"message":"Check your email to verify your account","requireVerification":true}""";

    public static string RegisterWithTokens(int expiresIn = 1800) =>
        $$$"""{"message":"User registered successfully","requireVerification":false,"token":"{{{AccessToken}}}","refreshToken":"{{{RefreshToken}}}","expiresIn":{{{expiresIn}}},"user":{"id":"685acbe0e129932fbb7a0fc2","email":"ada@northwind.dev","firstName":"Ada","lastName":"Lovelace","emailVerified":true,"customRole":null}}""";
}
