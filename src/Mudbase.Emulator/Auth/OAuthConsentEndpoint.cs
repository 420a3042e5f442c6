using System.Globalization;
using System.Net;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Auth;

/// <summary>
/// <c>GET /emulator/oauth/consent?state=</c>: the built-in fake OAuth provider. Without
/// <c>approve</c> it shows a small page with Approve and Deny links; <c>approve=true</c> signs in
/// the provider's fixed test user (<c>&lt;provider&gt;.user@example.com</c>, created on first use,
/// email verified) and redirects (302) to the app's redirect_url with
/// <c>?token=&amp;refreshToken=&amp;expiresIn=</c>, as the hosted callback does; <c>approve=false</c>
/// redirects there with <c>?error=access_denied</c>, as OAuth providers report a refusal. Either
/// answer spends the state. Plain GET links, so that a test can drive the flow with any HTTP client.
/// </summary>
internal sealed class OAuthConsentEndpoint(EmulatorStore store, AuthState auth, PasswordlessUsers users, SessionIssuer sessions, TimeProvider timeProvider)
{
    public const string Path = "/emulator/oauth/consent";

    public IResult Handle(HttpRequest request)
    {
        var state = request.Query["state"].ToString();
        var now = timeProvider.GetUtcNow();
        var approve = request.Query["approve"].ToString();
        if (approve is not ("true" or "false"))
        {
            return auth.FindOAuthAuthorization(state, now) is { } pending ? ConsentPage(pending) : InvalidState();
        }

        if (auth.TakeOAuthAuthorization(state, now) is not { } authorization)
        {
            return InvalidState();
        }

        if (approve == "false")
        {
            return TypedResults.Redirect(AppUrl.WithQuery(authorization.RedirectUrl, [new("error", "access_denied")]));
        }

        var provider = OAuthProviderCatalog.Find(authorization.Provider)!;
        var user = users.ForVerifiedEmail(authorization.ProjectId, $"{provider.Name}.user@example.com", provider.DisplayName, "User");
        var tokens = sessions.StartSession(user);
        return TypedResults.Redirect(AppUrl.WithQuery(authorization.RedirectUrl,
        [
            new("token", tokens.Token),
            new("refreshToken", tokens.RefreshToken),
            new("expiresIn", tokens.ExpiresIn.ToString(CultureInfo.InvariantCulture)),
        ]));
    }

    private static IResult InvalidState() => ErrorResults.BadRequest("Invalid or expired OAuth state");

    private ContentHttpResult ConsentPage(OAuthAuthorization authorization)
    {
        var provider = WebUtility.HtmlEncode(OAuthProviderCatalog.Find(authorization.Provider)!.DisplayName);
        var project = WebUtility.HtmlEncode(store.FindProject(authorization.ProjectId)!.Name);
        var app = WebUtility.HtmlEncode(authorization.RedirectUrl.GetLeftPart(UriPartial.Authority));
        var approve = WebUtility.HtmlEncode(QueryHelpers.AddQueryString(Path, new Dictionary<string, string?> { ["state"] = authorization.State, ["approve"] = "true" }));
        var deny = WebUtility.HtmlEncode(QueryHelpers.AddQueryString(Path, new Dictionary<string, string?> { ["state"] = authorization.State, ["approve"] = "false" }));
        return TypedResults.Content(
            $"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>Sign in with {provider} (Mudbase emulator)</title></head>
            <body>
            <h1>Sign in with {provider}</h1>
            <p>{project} ({app}) asks to sign you in with {provider}. This is the Mudbase emulator's stand-in for the provider: no real account is involved.</p>
            <p><a id="approve" href="{approve}">Approve</a> &middot; <a id="deny" href="{deny}">Deny</a></p>
            </body>
            </html>
            """,
            "text/html; charset=utf-8");
    }
}
