using Mudbase.Auth;
using Mudbase.Collections;
using Mudbase.Data;
using Mudbase.Functions;
using Mudbase.Storage;
using Mudbase.Roles;
using Mudbase.Search;
using Mudbase.Users;

namespace Mudbase;

/// <summary>The Mudbase client: one property per API area, like the JavaScript SDK's <c>client.auth</c>. Mock this interface in tests.</summary>
public interface IMudbaseClient
{
    /// <summary>Project-user authentication, as the current session's user.</summary>
    IMudbaseAuth Auth { get; }

    /// <summary>Documents, typed or untyped: get, create, update, delete and query them, as the current session's user.</summary>
    IMudbaseData Data { get; }

    /// <summary>Collection schemas: read them, and (with the API key) create, change and delete them.</summary>
    IMudbaseCollections Collections { get; }

    /// <summary>Functions: list them, and run them as operations that can be started, awaited, and taken up again by id.</summary>
    IMudbaseFunctions Functions { get; }
    /// <summary>Buckets and files: uploads and downloads that stream with progress, signed URLs, direct upload (writes need the API key).</summary>
    IMudbaseStorage Storage { get; }
    /// <summary>The signed-in user's own account: profile, password, two-factor authentication, export, erasure, linked providers.</summary>
    IMudbaseUsers Users { get; }

    /// <summary>Full-text search over the project's documents, and suggestions as the user types.</summary>
    IMudbaseSearch Search { get; }

    /// <summary>App roles: the roles on offer, their permissions, and asking for another role.</summary>
    IMudbaseRoles Roles { get; }

    /// <summary>
    /// The realtime connection of this client's session: its state, and connecting ahead of time. Watching is done on the
    /// data handles (<c>collection.WatchAsync()</c>, <c>query.WatchAsync()</c>, <c>collection.WatchDocumentAsync(id)</c>).
    /// </summary>
    Realtime.IMudbaseRealtime Realtime { get; }

    /// <summary>
    /// A view that acts for one user: its own session, separate from this client's and from every other view's,
    /// over the same connections, retries and options. Create one per request or per user in a server; never
    /// share one between users. Views need no disposing.
    /// </summary>
    /// <param name="session">The user's session (for example restored from your own storage), or null to start signed out.</param>
    /// <param name="store">Where the view keeps its session, so refreshed tokens can be saved back; null keeps it in
    /// memory only (then listen to <see cref="IMudbaseAuth.SessionChanged"/> for refreshes).</param>
    /// <returns>The view.</returns>
    IMudbaseClient WithSession(AuthSession? session, IMudbaseSessionStore? store = null);
}
