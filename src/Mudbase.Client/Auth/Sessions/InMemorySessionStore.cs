namespace Mudbase.Auth;

/// <summary>Keeps the session in memory only: it is gone when the process ends. The default store.</summary>
public sealed class InMemorySessionStore : IMudbaseSessionStore
{
    private volatile AuthSession? _session;

    /// <inheritdoc />
    public Task<AuthSession?> LoadAsync(CancellationToken cancellationToken = default) => Task.FromResult(_session);

    /// <inheritdoc />
    public Task SaveAsync(AuthSession session, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(session);
        _session = session;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ClearAsync(CancellationToken cancellationToken = default)
    {
        _session = null;
        return Task.CompletedTask;
    }
}
