using Mudbase.Emulator.Infrastructure;
using Mudbase.Emulator.State;

namespace Mudbase.Emulator.Auth;

/// <summary>
/// <c>POST /api/auth/magic-link/send</c>: puts a single-use sign-in link in the outbox: the token,
/// and the link itself when a redirectUrl was given (the URL with <c>?token=</c> added). Sending
/// creates no user and answers the same for any email; the user, if new, is created when the
/// link is used (see <see cref="MagicLinkVerifyEndpoint"/>).
/// </summary>
internal sealed class MagicLinkSendEndpoint(EmulatorStore store, AuthState auth, TimeProvider timeProvider)
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    public async Task<IResult> HandleAsync(HttpRequest request)
    {
        if (await JsonRequest.ReadObjectAsync(request).ConfigureAwait(false) is not { } body)
        {
            return ErrorResults.InvalidJson();
        }

        var errors = new List<string>();
        var email = BodyFields.RequiredEmail(body, "email", errors);
        var projectId = BodyFields.RequiredString(body, "projectId", errors);
        var redirectUrl = BodyFields.OptionalUri(body, "redirectUrl", errors);
        if (email is null || projectId is null || errors.Count > 0)
        {
            return ErrorResults.ValidationFailed(errors);
        }

        if (!ProjectLookup.TryFind(store, projectId, out var project, out var error))
        {
            return error;
        }

        var now = timeProvider.GetUtcNow();
        var token = new MagicLinkToken(Secrets.UrlToken(), project.Id, email.ToLowerInvariant(), now, now + Lifetime);
        auth.AddMagicLinkToken(token);
        var link = redirectUrl is null ? null : new Uri(AppUrl.WithQuery(redirectUrl, [new("token", token.Token)]));
        store.AddToOutbox(new EmulatorOutboxMessage(token.Email, EmulatorOutboxKinds.MagicLink, token.Token, Code: null, link, now));
        return TypedResults.Json(new MessageResponse("Magic link sent successfully"), EmulatorJsonContext.Wire.MessageResponse);
    }
}
