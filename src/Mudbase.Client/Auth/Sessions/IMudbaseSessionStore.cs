namespace Mudbase.Auth;

/// <summary>
/// Where a client keeps its session between runs. The client calls it after every sign-in, refresh and
/// sign-out, one call at a time. Implement it for your platform (a keychain, a database row, an encrypted
/// cookie) or use <see cref="InMemorySessionStore"/> (the default) or <see cref="FileSessionStore"/>.
/// </summary>
public interface IMudbaseSessionStore
{
    /// <summary>Returns the stored session, or null when there is none.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The session, or null.</returns>
    Task<AuthSession?> LoadAsync(CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="session"/>, replacing any earlier one.</summary>
    /// <param name="session">The session to keep.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the session is stored.</returns>
    Task SaveAsync(AuthSession session, CancellationToken cancellationToken = default);

    /// <summary>Forgets the stored session.</summary>
    /// <param name="cancellationToken">Cancels the removal.</param>
    /// <returns>A task that completes when nothing is stored.</returns>
    Task ClearAsync(CancellationToken cancellationToken = default);
}
