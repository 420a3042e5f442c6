namespace Mudbase.Emulator.Auth;

/// <summary>
/// The OAuth providers the emulator offers. The hosted service knows 29; the emulator offers a
/// few common ones, all served by its built-in fake provider (a consent page), so they need no
/// client id or secret, although the list reports the fields a real project would configure.
/// </summary>
internal static class OAuthProviderCatalog
{
    public static IReadOnlyList<OAuthProviderBody> Providers { get; } =
    [
        Provider("google", "Google", "profile", "email"),
        Provider("github", "GitHub", "user:email"),
        Provider("microsoft", "Microsoft", "user.read"),
        Provider("facebook", "Facebook", "email", "public_profile"),
    ];

    /// <summary>Finds a provider by name, in any case, as routing matches paths.</summary>
    public static OAuthProviderBody? Find(string name) =>
        Providers.FirstOrDefault(provider => string.Equals(provider.Name, name, StringComparison.OrdinalIgnoreCase));

    private static OAuthProviderBody Provider(string name, string displayName, params string[] defaultScope) =>
        new(name, displayName, name, defaultScope, $"/api/auth/oauth/callback/{name}", ["clientId", "clientSecret"]);
}
