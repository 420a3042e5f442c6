using Mudbase.Emulator.Infrastructure;

namespace Mudbase.Emulator.Auth;

/// <summary><c>GET /api/auth/oauth/providers/available</c>: the providers the emulator supports.</summary>
internal static class OAuthProvidersEndpoint
{
    public static IResult Handle() =>
        TypedResults.Json(
            new OAuthProvidersResponse(OAuthProviderCatalog.Providers, OAuthProviderCatalog.Providers.Count),
            EmulatorJsonContext.Wire.OAuthProvidersResponse);
}
