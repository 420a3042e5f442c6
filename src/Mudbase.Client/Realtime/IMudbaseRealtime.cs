namespace Mudbase.Realtime;

/// <summary>
/// The realtime connection of one signed-in session (<c>client.Realtime</c>). You rarely need it: watching a collection,
/// a query or a document (<c>WatchAsync</c>, <c>WatchDocumentAsync</c>) opens the connection on first use and closes it
/// when the last watch ends. Use it to see the connection's state, or to connect ahead of time.
/// </summary>
/// <remarks>
/// One connection per session: it authenticates one user, so a <see cref="IMudbaseClient.WithSession"/> view of another
/// user has its own. A lost connection is opened again with a growing delay (1 s up to 30 s, with jitter, reset after
/// each successful connect), with the session's current token (refreshed first when it is about to expire), and every
/// watch is subscribed again and resynced.
/// </remarks>
public interface IMudbaseRealtime
{
    /// <summary>Where the connection stands now.</summary>
    RealtimeState State { get; }

    /// <summary>
    /// Raised on every change of <see cref="State"/>, on the thread that made it: keep handlers short and never block in
    /// them.
    /// </summary>
    event EventHandler<RealtimeStateChangedEventArgs>? StateChanged;

    /// <summary>
    /// Opens the connection now, if it is not open, and keeps it open until <see cref="DisconnectAsync"/>, even when nothing
    /// is watched; completes once connected.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting (the connection goes on trying).</param>
    /// <exception cref="MudbaseAuthenticationException">There is no signed-in user, or the server refused the session's token even after a refresh.</exception>
    Task ConnectAsync(CancellationToken cancellationToken = default);

    /// <summary>Closes the connection and ends every watch of this session (their enumerations complete).</summary>
    /// <param name="cancellationToken">Stops waiting for the clean close (the connection is closed regardless).</param>
    /// <returns>A task that completes once the connection is closed.</returns>
    ValueTask DisconnectAsync(CancellationToken cancellationToken = default);
}
