using System.Net;
using Mudbase.Auth;

namespace Mudbase.Http;

/// <summary>
/// Signs requests as the session's user. A request that carries its view's session (Refit's <c>[Property(SessionProperty)]</c>)
/// gets the current access token, refreshed first when it is about to expire; a 401 triggers one refresh and one retry of
/// the original request (its buffered body re-sent intact). Calls marked <c>[Headers("Authorization: Bearer")]</c> need a
/// user and fail without one; unmarked calls with a session (data, storage reads) go out signed in when there is a user
/// and without a token when there is none (then the API key, if configured, or a public grant decides). Requests without
/// a session, the sign-ins and the refresh among them, pass through untouched. It sits outside the retry handler, so
/// each of its sends is retried as usual.
/// </summary>
internal sealed class MudbaseAuthenticationHandler : DelegatingHandler
{
    /// <summary>The name under which a request carries the session of the client or view that made it (Refit's <c>[Property]</c>).</summary>
    internal const string SessionProperty = "Mudbase.Session";

    /// <summary>The session of the client or view that made the request.</summary>
    internal static readonly HttpRequestOptionsKey<SessionManager> SessionKey = new(SessionProperty);

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!request.Options.TryGetValue(SessionKey, out var sessions))
        {
            if (request.Content is TransferContent { Offsite: true })
            {
                // Bytes bound for a presigned URL (another host, as likely as not): its signature is its authorization.
                request.Headers.Remove("X-API-Key");
            }

            // Calls not made as a user (sign-ins, the refresh itself) pass straight through, with no state machine.
            return base.SendAsync(request, cancellationToken);
        }

        var userRequired = IsMarked(request);
        if (!userRequired && sessions.TryGetFresh(out var none) && none is null)
        {
            // Signed out, and the call does not need a user: it goes as it is, again with no state machine.
            return base.SendAsync(request, cancellationToken);
        }

        return SendAsUserAsync(request, sessions, userRequired, cancellationToken);
    }

    private async Task<HttpResponseMessage> SendAsUserAsync(HttpRequestMessage request, SessionManager sessions, bool userRequired, CancellationToken cancellationToken)
    {
        // Most calls find the session restored and fresh: then no await and no Task.
        var session = sessions.TryGetFresh(out var fresh) ? fresh : await sessions.GetFreshAsync(cancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            return userRequired
                ? throw new MudbaseAuthenticationException($"{request.Method} {request.RequestUri?.AbsolutePath} needs a signed-in user, and there is no session: sign in first.")
                : await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

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

        if (refreshed is null || ReferenceEquals(refreshed, session) || request.Content is TransferContent { CanResend: false })
        {
            // No new token, or an upload whose stream cannot be read again: the 401 is the answer.
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
