using Mudbase.Auth;

namespace Mudbase.Samples.WebApi;

/// <summary>
/// The Mudbase session of each user of this API, kept server-side: one view of the app's single client
/// (<see cref="IMudbaseClient.WithSession"/>) per signed-in user, made at sign-in, used by every request of that
/// user, and forgotten when their session ends. Thread-safe.
/// </summary>
/// <remarks>
/// One view per user, not one per request: refresh tokens are single-use, and a view refreshes single-flight. Two
/// views over one session (say two concurrent requests of one user, each with a view of its own) would both refresh
/// with the same refresh token when it nears expiry, and the server would revoke the session. A view keeps its
/// session in memory; to keep sessions across restarts, give each view a store of its own, such as a database row:
/// <c>mudbase.WithSession(null, new YourSessionStore(user))</c>.
/// </remarks>
internal sealed class UserSessions(IMudbaseClient mudbase, ILogger<UserSessions> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, IMudbaseClient> _views = new(StringComparer.Ordinal);

    /// <summary>A signed-out view to sign a user in with; once it is signed in, hand it to <see cref="KeepAsync"/>.</summary>
    public IMudbaseClient NewView() => mudbase.WithSession(null);

    /// <summary>The view of a signed-in user, or null.</summary>
    public IMudbaseClient? Find(string user)
    {
        lock (_gate)
        {
            return _views.GetValueOrDefault(user);
        }
    }

    /// <summary>Makes <paramref name="view"/>, just signed in, the user's view; the user's earlier session, if any, is signed out.</summary>
    public async Task KeepAsync(string user, IMudbaseClient view, CancellationToken cancellationToken)
    {
        var session = view.Auth.CurrentSession ?? throw new ArgumentException("The view is not signed in.", nameof(view));

        // Signed out, or the server refused a refresh (the session expired or was revoked): forget the view.
        // A refreshed session needs nothing here: the view keeps it and uses it from the next request on.
        view.Auth.SessionChanged += (_, e) =>
        {
            if (e.Session is null && Forget(user, view))
            {
                SampleLog.SessionEnded(logger, user, e.Reason);
            }
        };

        IMudbaseClient? previous;
        lock (_gate)
        {
            _views.TryGetValue(user, out previous);
            _views[user] = view;
        }

        SampleLog.SignedIn(logger, user, session.User.Id);
        if (previous is not null)
        {
            await LogOutAsync(user, previous, cancellationToken);
        }
    }

    /// <summary>Signs the user out of Mudbase and forgets their view.</summary>
    /// <returns>False when the user was not signed in.</returns>
    public async Task<bool> SignOutAsync(string user, CancellationToken cancellationToken)
    {
        IMudbaseClient? view;
        lock (_gate)
        {
            _views.Remove(user, out view);
        }

        if (view is null)
        {
            return false;
        }

        await LogOutAsync(user, view, cancellationToken);
        SampleLog.SignedOut(logger, user);
        return true;
    }

    // The view's session is cleared even when the server call fails; the server then ends it when it expires.
    private async Task LogOutAsync(string user, IMudbaseClient view, CancellationToken cancellationToken)
    {
        try
        {
            await view.Auth.LogoutAsync(cancellationToken);
        }
        catch (MudbaseException ex)
        {
            SampleLog.SignOutNotConfirmed(logger, user, ex.Message);
        }
    }

    private bool Forget(string user, IMudbaseClient view)
    {
        lock (_gate)
        {
            return _views.TryGetValue(user, out var current) && ReferenceEquals(current, view) && _views.Remove(user);
        }
    }
}
