using System.Net;
using Mudbase.Auth;

namespace Mudbase.Http;

/// <summary>
/// Signs requests as the session's user. Calls marked on the Refit interface with <c>[Headers("Authorization: Bearer")]</c>
/// get the current access token, refreshed first when it is about to expire; a 401 triggers one refresh and one
/// retry of the original request (its buffered body re-sent intact). Requests without that mark, the refresh call
/// among them, pass through untouched. It sits outside the retry handler, so each of its sends is retried as usual.
/// </summary>
internal sealed class MudbaseAuthenticationHandler : DelegatingHandler
{
    /// <summary>The name under which a request carries the session of the client or view that made it (Refit's <c>[Property]</c>).</summary>
    internal const string SessionProperty = "Mudbase.Session";

    /// <summary>The session of the client or view that made the request.</summary>
    internal static readonly HttpRequestOptionsKey<SessionManager> SessionKey = new(SessionProperty);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        // Calls not made as a user (sign-ins, the refresh itself) pass straight through, with no state machine.
        IsMarked(request) && request.Options.TryGetValue(SessionKey, out var sessions)
            ? SendAsUserAsync(request, sessions, cancellationToken)
            : base.SendAsync(request, cancellationToken);

    private async Task<HttpResponseMessage> SendAsUserAsync(HttpRequestMessage request, SessionManager sessions, CancellationToken cancellationToken)
    {
        // Most calls find the session restored and fresh: then no await and no Task.
        var session = (sessions.TryGetFresh(out var fresh) ? fresh : await sessions.GetFreshAsync(cancellationToken).ConfigureAwait(false))
            ?? throw new MudbaseAuthenticationException($"{request.Method} {request.RequestUri?.AbsolutePath} needs a signed-in user, and there is no session: sign in first.");
        SignAs(request, session);
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        // The token was refused (revoked, or expired before we expected): refresh once, then try once more.
        AuthSession? refreshed;
        try
        {
            refreshed = await sessions.RefreshAsync(session, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            response.Dispose();
            throw;
        }

        if (refreshed is null || ReferenceEquals(refreshed, session))
        {
            return response;
        }

        response.Dispose();
        SignAs(request, refreshed);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Replaces the marker (or an earlier token) with the session's bearer token, as a raw value: nothing to parse or format.</summary>
    private static void SignAs(HttpRequestMessage request, AuthSession session)
    {
        request.Headers.Remove("Authorization");
        request.Headers.TryAddWithoutValidation("Authorization", session.AuthorizationValue);
    }

    /// <summary>Whether the request carries the bare <c>Authorization: Bearer</c> of <c>[Headers]</c>: a call made as the user.</summary>
    private static bool IsMarked(HttpRequestMessage request)
    {
#if NETFRAMEWORK
        var authorization = request.Headers.Authorization;
        return authorization is not null && string.IsNullOrEmpty(authorization.Parameter) &&
            string.Equals(authorization.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase);
#else
        // Read raw rather than parsed: no allocation on any request.
        return request.Headers.NonValidated.TryGetValues("Authorization", out var authorization) && authorization.Count == 1 &&
            authorization.ToString().AsSpan().Trim().Equals("Bearer", StringComparison.OrdinalIgnoreCase);
#endif
    }
}
