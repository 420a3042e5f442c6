using System.Diagnostics.CodeAnalysis;
using System.Net;
using Microsoft.Extensions.Logging;
using Mudbase.Diagnostics;

namespace Mudbase.Auth;

/// <summary>
/// One signed-in session: kept, restored from its store, refreshed, persisted and announced. Each client and
/// each <see cref="MudbaseClient.WithSession"/> view has its own, so one user's token never reaches another's request.
/// </summary>
/// <remarks>
/// Refresh is single-flight: refresh tokens are single-use and the server revokes a session that presents one
/// twice, so however many calls need a refresh at once, one request goes out and all of them await it.
/// </remarks>
[SuppressMessage("Design", "CA1001", Justification = "SemaphoreSlim needs disposing only once its wait handle is used, which it never is here.")]
internal sealed class SessionManager
{
    private readonly object _gate = new();
    private readonly SemaphoreSlim _persistGate = new(1, 1);
    private readonly IMudbaseSessionStore _store;
    private readonly TimeProvider _timeProvider;
    private readonly TimeSpan _skew;
    private readonly ILogger _logger;

    // Written under _gate; volatile so that reads (Current, and TryGetFresh on every request) take no lock. _current is written
    // before _restored, so a reader that sees _restored sees the session it restored.
    private volatile AuthSession? _current;
    private Task<AuthSession?>? _refresh;   // the refresh in flight for _current, if any
    private Task? _restore;
    private volatile bool _restored;
    private long _version;                  // bumped on every change, so a late store read never overwrites a newer session

    public SessionManager(IMudbaseSessionStore store, TimeProvider timeProvider, TimeSpan skew, ILogger logger, AuthSession? initial = null)
    {
        _store = store;
        _timeProvider = timeProvider;
        _skew = skew;
        _logger = logger;
        _current = initial;
        _restored = initial is not null;
    }

    /// <summary>Performs the refresh request (set by the facade that owns the Refit interface).</summary>
    public Func<AuthSession, CancellationToken, Task<AuthSession>>? Refresher { get; set; }

    /// <summary>The sender of <see cref="Changed"/>.</summary>
    public object? Owner { get; set; }

    public event EventHandler<SessionChangedEventArgs>? Changed;

    public AuthSession? Current => _current;

    /// <summary>Loads the stored session once; a session set meanwhile wins over the stored one.</summary>
    public Task RestoreAsync(CancellationToken cancellationToken)
    {
        Task restore;
        lock (_gate)
        {
            if (_restored)
            {
                return Task.CompletedTask;
            }

            restore = _restore ??= LoadFromStoreAsync(_version);
        }

        return restore.WaitAsync(cancellationToken);
    }

    private async Task LoadFromStoreAsync(long version)
    {
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        try
        {
            var stored = await _store.LoadAsync(CancellationToken.None).ConfigureAwait(false);
            lock (_gate)
            {
                if (_version == version)
                {
                    _current = stored;
                }

                _restored = true;
            }
        }
        catch
        {
            lock (_gate)
            {
                _restore = null; // let the next call try again
            }

            throw;
        }
    }

    /// <summary>
    /// The session to send, when there is nothing to wait for: restored already and not due for a refresh (or there is
    /// none). False sends the caller to <see cref="GetFreshAsync"/>.
    /// </summary>
    public bool TryGetFresh(out AuthSession? session)
    {
        // No lock: every request of a user passes here, often many at once.
        if (!_restored)
        {
            session = null;
            return false;
        }

        session = _current;
        return session is null || IsFresh(session);
    }

    /// <summary>The session to send, refreshed first when its access token expires within the skew.</summary>
    public async Task<AuthSession?> GetFreshAsync(CancellationToken cancellationToken)
    {
        await RestoreAsync(cancellationToken).ConfigureAwait(false);
        var session = Current;
        if (session is null || IsFresh(session))
        {
            return session;
        }

        try
        {
            return await RefreshAsync(session, cancellationToken).ConfigureAwait(false);
        }
        catch (MudbaseException ex) when (IsTransient(ex) && session.ExpiresAt > _timeProvider.GetUtcNow() && ReferenceEquals(Current, session))
        {
            // An early refresh failed on the network, but the token still works: use it, and try again next time.
            return session;
        }
    }

    /// <summary>Whether the session's access token is not yet within its refresh margin of expiring.</summary>
    private bool IsFresh(AuthSession session) => session.ExpiresAt - _timeProvider.GetUtcNow() > RefreshMargin(session);

    /// <summary>
    /// How early a token is refreshed: the skew, but never more than half the token's lifetime, so that a server
    /// handing out short-lived tokens does not get a refresh on every call.
    /// </summary>
    private TimeSpan RefreshMargin(AuthSession session)
    {
        var half = TimeSpan.FromSeconds(Math.Max(0, session.ExpiresIn) / 2.0);
        return half < _skew ? half : _skew;
    }

    /// <summary>
    /// Refreshes <paramref name="basedOn"/> unless that already happened: returns the newer session at once when
    /// <paramref name="basedOn"/> is no longer current, or joins the refresh in flight.
    /// </summary>
    public Task<AuthSession?> RefreshAsync(AuthSession basedOn, CancellationToken cancellationToken)
    {
        Task<AuthSession?> refresh;
        lock (_gate)
        {
            if (!ReferenceEquals(_current, basedOn))
            {
                return Task.FromResult(_current);
            }

            refresh = _refresh ??= RunRefreshAsync(basedOn, customRole: null);
        }

        // Each caller may stop waiting; the refresh itself goes on (see RunRefreshAsync).
        return refresh.WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Refreshes now, due or not, for a role the server has just given the user (an approved elevation): the new token
    /// carries it, and the session's user shows it as <see cref="MudbaseUser.CustomRole"/> even when the refresh answer
    /// names no user. One <see cref="SessionChangeReason.Refreshed"/> announces both; a refresh already in flight is
    /// joined, and its result then given the role in a second announcement.
    /// </summary>
    public async Task<AuthSession?> RefreshWithCustomRoleAsync(AuthSession basedOn, string customRole, CancellationToken cancellationToken)
    {
        Task<AuthSession?> refresh;
        lock (_gate)
        {
            refresh = !ReferenceEquals(_current, basedOn) ? Task.FromResult(_current) : _refresh ??= RunRefreshAsync(basedOn, customRole);
        }

        var next = await refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        if (next is null || next.User.CustomRole == customRole)
        {
            return next;
        }

        var amended = WithCustomRole(next, customRole);
        if (!Replace(next, amended))
        {
            return Current;
        }

        await PersistAndAnnounceAsync(amended, SessionChangeReason.Refreshed, CancellationToken.None).ConfigureAwait(false);
        return amended;
    }

    private static AuthSession WithCustomRole(AuthSession session, string customRole) =>
        new(session.Token, session.RefreshToken, session.ExpiresIn, session.ExpiresAt, session.User.WithCustomRole(customRole), session.Message);

    private async Task<AuthSession?> RunRefreshAsync(AuthSession from, string? customRole)
    {
        // Leave the lock before any I/O starts.
        await Task.CompletedTask.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        AuthSession next;
        Log.Refreshing(_logger, from.User.Id);
        try
        {
            // Not a caller's token: once sent, a refresh is seen through, or its single-use successor would be lost.
            next = await Refresher!(from, CancellationToken.None).ConfigureAwait(false);
            if (customRole is not null && next.User.CustomRole != customRole)
            {
                next = WithCustomRole(next, customRole);
            }
        }
        catch (MudbaseException ex) when (ex.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.Unauthorized)
        {
            // Only the server's rejection of the refresh token ends the session.
            Log.RefreshRejected(_logger, from.User.Id, (int)ex.StatusCode!.Value);
            MudbaseDiagnostics.Refreshes.Add(1, new KeyValuePair<string, object?>("outcome", "rejected"));
            if (Replace(from, null))
            {
                await PersistAndAnnounceAsync(null, SessionChangeReason.RefreshRejected, CancellationToken.None).ConfigureAwait(false);
            }

            throw;
        }
        catch (Exception ex)
        {
            // A network failure or a 5xx says nothing about the session: keep it.
            Log.RefreshFailed(_logger, from.User.Id, $"{ex.GetType().Name}: {ex.Message}");
            MudbaseDiagnostics.Refreshes.Add(1, new KeyValuePair<string, object?>("outcome", "failed"));
            lock (_gate)
            {
                if (ReferenceEquals(_current, from))
                {
                    _refresh = null;
                }
            }

            throw;
        }

        Log.Refreshed(_logger, next.User.Id, next.ExpiresAt);
        MudbaseDiagnostics.Refreshes.Add(1, new KeyValuePair<string, object?>("outcome", "refreshed"));
        if (!Replace(from, next))
        {
            // Signed out or signed in as someone else meanwhile: this refresh belongs to a session that is gone.
            return Current;
        }

        await PersistAndAnnounceAsync(next, SessionChangeReason.Refreshed, CancellationToken.None).ConfigureAwait(false);
        return next;
    }

    public Task SignInAsync(AuthSession session, CancellationToken cancellationToken)
    {
        Set(session);
        return PersistAndAnnounceAsync(session, SessionChangeReason.SignedIn, cancellationToken);
    }

    public async Task SignOutAsync(CancellationToken cancellationToken)
    {
        var had = Set(null) is not null;
        await PersistAsync(cancellationToken).ConfigureAwait(false);
        if (had)
        {
            Announce(null, SessionChangeReason.SignedOut);
        }
    }

    /// <summary>Sets the current session and returns the previous one; any refresh in flight no longer applies.</summary>
    private AuthSession? Set(AuthSession? session)
    {
        lock (_gate)
        {
            var previous = _current;
            _current = session;
            _refresh = null;
            _version++;
            _restored = true;
            return previous;
        }
    }

    private bool Replace(AuthSession expected, AuthSession? next)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_current, expected))
            {
                return false;
            }

            _current = next;
            _refresh = null;
            _version++;
            return true;
        }
    }

    private async Task PersistAndAnnounceAsync(AuthSession? session, SessionChangeReason reason, CancellationToken cancellationToken)
    {
        await PersistAsync(cancellationToken).ConfigureAwait(false);
        Announce(session, reason);
    }

    /// <summary>Writes whatever is current when the write starts, one write at a time: the store always ends with the latest state.</summary>
    private async Task PersistAsync(CancellationToken cancellationToken)
    {
        await _persistGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Current is { } session)
            {
                await _store.SaveAsync(session, CancellationToken.None).ConfigureAwait(false);
            }
            else
            {
                await _store.ClearAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        finally
        {
            _persistGate.Release();
        }
    }

    private void Announce(AuthSession? session, SessionChangeReason reason) =>
        Changed?.Invoke(Owner ?? this, new SessionChangedEventArgs(session, reason));

    internal static bool IsTransient(MudbaseException exception) =>
        exception is MudbaseTransportException or MudbaseServerException or MudbaseRateLimitException;
}
