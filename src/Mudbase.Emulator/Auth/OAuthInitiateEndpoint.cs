using Microsoft.AspNetCore.WebUtilities;
using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Auth;

/// <summary>
/// <c>GET /api/auth/oauth/{provider}/{projectId}?redirect_url=</c>: a browser navigation that
/// starts an OAuth sign-in. Where the hosted service redirects to the provider, the emulator
/// redirects (302) to its own consent page (<see cref="OAuthConsentEndpoint"/>), which stands in
/// for every provider. The redirect_url is required (the hosted service falls back to a project
/// setting the emulator does not have) and may be any absolute URI, custom app schemes included.
/// </summary>
internal sealed class OAuthInitiateEndpoint(EmulatorStore store, AuthState auth, TimeProvider timeProvider)
{
    /// <summary>How long the consent page waits for an answer.</summary>
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(10);

    public IResult Handle(HttpRequest request, string provider, string projectId)
    {
        if (OAuthProviderCatalog.Find(provider) is not { } oauthProvider)
        {
            return ErrorResults.NotFound("OAuth provider not found");
        }

        if (!ProjectLookup.TryFind(store, projectId, out var project, out var error))
        {
            return error;
        }

        if (request.Query["redirect_url"].ToString() is not { Length: > 0 } redirectText)
        {
            return ErrorResults.BadRequest("redirect_url is required");
        }

        if (!Uri.TryCreate(redirectText, UriKind.Absolute, out var redirectUrl))
        {
            return ErrorResults.BadRequest("Invalid redirect_url");
        }

        var now = timeProvider.GetUtcNow();
        var authorization = new OAuthAuthorization(Secrets.UrlToken(), oauthProvider.Name, project.Id, redirectUrl, now, now + Lifetime);
        auth.AddOAuthAuthorization(authorization);
        // Absolute, as a provider's authorization URL is, so a client can follow it without a base.
        var consentPage = $"{request.Scheme}://{request.Host}{OAuthConsentEndpoint.Path}";
        return TypedResults.Redirect(QueryHelpers.AddQueryString(consentPage, "state", authorization.State));
    }
}
