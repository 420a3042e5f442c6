using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Mudbase.Auth;
using Mudbase.Diagnostics;
using Mudbase.Realtime.Protocol;

namespace Mudbase.Realtime;

/// <summary>
/// One session's realtime connection and its watches. A background loop owns the connection: it connects with the
/// session's current token, subscribes every watch, dispatches events, and when the link is lost tells the watches,
/// waits its backoff and connects again. It runs while something is watched (or <see cref="ConnectAsync"/> holds it).
/// </summary>
internal sealed class MudbaseRealtime : IMudbaseRealtime, IAsyncDisposable
{
    /// <summary>Refusals of the token in a row (each after a refresh) before the watches end.</summary>
    private const int MaxRefusals = 3;

    private readonly object _gate = new();
    private readonly MudbaseClientOptions _options;
    private readonly SessionManager _sessions;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SocketIoConnectionOptions _connectionOptions;
    private RealtimeWatch[] _watches = [];
    private bool _held;
    private bool _listening;
    private Task? _loop;
    private CancellationTokenSource? _stop;
    private SocketIoConnection? _connection;
    private TaskCompletionSource<bool> _connected = NewSignal();
    private RealtimeState _state;

    /// <summary>The collection id of the last change dispatched: the next one about it reuses the string.</summary>
    private string? _recentCollectionId;

    public MudbaseRealtime(MudbaseClientOptions options, SessionManager sessions, TimeProvider timeProvider, ILogger logger)
    {
        _options = options;
        _sessions = sessions;
        _timeProvider = timeProvider;
        _logger = logger;
        _connectionOptions = new SocketIoConnectionOptions { TimeProvider = timeProvider };
        if (options.RealtimeSocketFactory is { } factory)
        {
            _connectionOptions.WebSocketFactory = factory;
        }
    }

    public RealtimeState State => _state;

    public event EventHandler<RealtimeStateChangedEventArgs>? StateChanged;

    /// <summary>The session whose user the connection authenticates (watches fetch with it too).</summary>
    public SessionManager Sessions => _sessions;

    public Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        Task connected;
        lock (_gate)
        {
            _held = true;
            EnsureRunning();
            connected = _connected.Task;
        }

        return connected.WaitAsync(cancellationToken);
    }

    public async ValueTask DisconnectAsync(CancellationToken cancellationToken = default)
    {
        RealtimeWatch[] watches;
        Task? loop;
        lock (_gate)
        {
            _held = false;
            watches = _watches;
            _watches = [];
            loop = _loop;
            _stop?.Cancel();
            _connected.TrySetCanceled(CancellationToken.None);
        }

        foreach (var watch in watches)
        {
            watch.End(null);
        }

        if (loop is not null)
        {
            await loop.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => DisconnectAsync();

    /// <summary>Adds a watch: it is subscribed now if the connection is up, else when it comes up.</summary>
    public void Add(RealtimeWatch watch)
    {
        SocketIoConnection? connection;
        lock (_gate)
        {
            _watches = [.. _watches, watch];
            EnsureRunning();
            connection = _connection;
        }

        if (connection is not null)
        {
            _ = SubscribeAsync(watch, connection);
        }
    }

    /// <summary>Removes a watch (its consumer left): unsubscribes it, and closes the connection when it was the last.</summary>
    public async ValueTask RemoveAsync(RealtimeWatch watch)
    {
        SocketIoConnection? connection;
        bool lastOfItsKind;
        lock (_gate)
        {
            var index = Array.IndexOf(_watches, watch);
            if (index < 0)
            {
                return;
            }

            _watches = [.. _watches.Take(index), .. _watches.Skip(index + 1)];
            lastOfItsKind = watch.CollectionKey is null || !_watches.Any(other => other.SharesRoomWith(watch));
            connection = _connection;
            if (_watches.Length == 0 && !_held)
            {
                _stop?.Cancel();
                connection = null; // the connection closes: nothing to unsubscribe from
            }
        }

        watch.End(null);
        if (connection is not null && lastOfItsKind)
        {
            try
            {
                await watch.UnsubscribeAsync(connection).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketIoException or ObjectDisposedException or OperationCanceledException)
            {
                // The connection is gone: its rooms went with it.
            }
        }
    }

    private static TaskCompletionSource<bool> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Under <see cref="_gate"/>: starts the loop unless it runs.</summary>
    private void EnsureRunning()
    {
        if (_loop is not null && _stop is { IsCancellationRequested: false })
        {
            return;
        }

        if (!_listening)
        {
            // Only while running: an idle realtime area holds no reference from the session.
            _sessions.Changed += OnSessionChanged;
            _listening = true;
        }

        // A loop that is stopping finishes first; the new one follows it.
        var previous = _loop ?? Task.CompletedTask;
        var stop = new CancellationTokenSource();
        _stop = stop;
        if (_connected.Task.IsCompleted)
        {
            _connected = NewSignal();
        }

        _loop = Task.Run(async () =>
        {
            await previous.ConfigureAwait(false);
            await RunAsync(stop).ConfigureAwait(false);
        });
    }

    private async Task RunAsync(CancellationTokenSource stopSource)
    {
        var stop = stopSource.Token;
        var backoff = new ReconnectBackoff(_options.Realtime.ReconnectDelay, _options.Realtime.MaxReconnectDelay);
        var refusals = 0;
        var failures = 0;
        var everConnected = false;
        Exception? fatal = null;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                SetState(everConnected ? RealtimeState.Reconnecting : RealtimeState.Connecting);
                SocketIoConnection connection;
                using (var activity = MudbaseDiagnostics.ActivitySource.StartActivity("mudbase.realtime.connect", ActivityKind.Client))
                {
                    try
                    {
                        Log.RealtimeConnecting(_logger, _options.BaseUrl.Host, failures + 1);
                        connection = await SocketIoConnection.ConnectAsync(_options.BaseUrl, GetTokenAsync, _connectionOptions, stop).ConfigureAwait(false);
                    }
                    catch (SocketIoAuthRefusedException e)
                    {
                        activity?.SetStatus(ActivityStatusCode.Error, "refused");
                        refusals++;
                        Log.RealtimeRefused(_logger, refusals, e.ServerMessage);
                        if (refusals >= MaxRefusals)
                        {
                            fatal = new MudbaseAuthenticationException(
                                $"The realtime server refused the session's token {refusals} times in a row, each time after a refresh: {e.ServerMessage}", e);
                            return;
                        }

                        // The token may have been revoked or expired early: refresh (single-flight with every other call), then try again.
                        if (_sessions.Current is { } session)
                        {
                            try
                            {
                                await _sessions.RefreshAsync(session, stop).ConfigureAwait(false);
                            }
                            catch (MudbaseException refreshFailure) when (SessionManager.IsTransient(refreshFailure))
                            {
                                // The network again: the backoff below paces the next try.
                            }
                        }

                        if (refusals > 1)
                        {
                            await DelayAsync(backoff, "a refused token", stop).ConfigureAwait(false);
                        }

                        continue;
                    }
                    catch (MudbaseAuthenticationException e)
                    {
                        activity?.SetStatus(ActivityStatusCode.Error, "no session");
                        fatal = e;
                        return;
                    }
                    catch (Exception e) when (!stop.IsCancellationRequested && e is SocketIoException or MudbaseException)
                    {
                        activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
                        failures++;
                        if (_options.Realtime.MaxReconnectAttempts is { } max && failures >= max)
                        {
                            fatal = e as MudbaseException ?? new MudbaseTransportException(
                                $"The realtime connection could not be opened ({failures} attempts in a row): {e.Message}", e);
                            return;
                        }

                        await DelayAsync(backoff, e.Message, stop).ConfigureAwait(false);
                        continue;
                    }
                }

                refusals = 0;
                failures = 0;
                backoff.Reset();
                if (everConnected)
                {
                    RealtimeMetrics.Reconnects.Add(1);
                }

                everConnected = true;
                await RunConnectionAsync(connection, stop).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Closed: nothing is watched any more, or DisconnectAsync.
        }
        catch (MudbaseException e)
        {
            // A refresh that failed for good (the session ended) while reconnecting.
            fatal = e;
        }
        finally
        {
            Finish(stopSource, fatal);
        }
    }

    /// <summary>One connection's life: subscribe every watch, dispatch events until it ends, tell the watches.</summary>
    private async Task RunConnectionAsync(SocketIoConnection connection, CancellationToken stop)
    {
        RealtimeWatch[] watches;
        TaskCompletionSource<bool> connected;
        lock (_gate)
        {
            _connection = connection;
            watches = _watches;
            connected = _connected;
        }

        SetState(RealtimeState.Connected);
        Log.RealtimeConnected(_logger, _sessions.Current?.User.Id, watches.Length);
        connected.TrySetResult(true);
        foreach (var watch in watches)
        {
            _ = SubscribeAsync(watch, connection);
        }

        using (stop.Register(static state => _ = ((SocketIoConnection)state!).CloseAsync(), connection))
        {
            try
            {
                while (await connection.Events.WaitToReadAsync(CancellationToken.None).ConfigureAwait(false))
                {
                    while (connection.Events.TryRead(out var received))
                    {
                        try
                        {
                            await DispatchAsync(received, stop).ConfigureAwait(false);
                        }
                        finally
                        {
                            received.Return(); // the watches read what they keep before they return
                        }
                    }
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // A watch waiting for room (Wait mode) when the loop was told to stop.
            }
        }

        var end = await connection.Completion.ConfigureAwait(false);
        lock (_gate)
        {
            _connection = null;
            watches = _watches;
            if (_connected.Task.IsCompleted)
            {
                _connected = NewSignal();
            }
        }

        await connection.DisposeAsync().ConfigureAwait(false);
        if (stop.IsCancellationRequested)
        {
            return;
        }

        var reason = new MudbaseTransportException("The realtime connection was lost: " + Describe(end.Reason) + ".", end.Error);
        Log.RealtimeLost(_logger, end.Reason.ToString());
        foreach (var watch in watches)
        {
            watch.OnDisconnected(reason);
        }
    }

    private static string Describe(SocketIoDisconnectReason reason) => reason switch
    {
        SocketIoDisconnectReason.ServerDisconnected => "the server disconnected this client",
        SocketIoDisconnectReason.TransportClosed => "the server closed the connection",
        SocketIoDisconnectReason.PingTimeout => "no ping from the server within its ping interval and timeout (a silent link)",
        SocketIoDisconnectReason.MessageTooLarge => "the server sent a message above the size limit",
        SocketIoDisconnectReason.ProtocolError => "the server broke the protocol",
        SocketIoDisconnectReason.EventBufferFull => "events arrived faster than they were dispatched",
        SocketIoDisconnectReason.ClientClosed => "closed to fetch the state again",
        _ => "the connection failed",
    };

    private async ValueTask DispatchAsync(SocketIoEvent received, CancellationToken stop)
    {
        RealtimeMetrics.Events.Add(1);
        var watches = Volatile.Read(ref _watches);
        switch (received.Name)
        {
            case "db:create" or "db:update" or "db:delete":
                if (RealtimeWire.TryReadChange(received.Packet.Span, _recentCollectionId, out var envelope))
                {
                    _recentCollectionId = envelope.CollectionId;
                    foreach (var watch in watches)
                    {
                        if (watch.Matches(envelope.CollectionId))
                        {
                            await Deliver(watch, watch.OnChangeAsync(received.Name, received.Packet, envelope, stop)).ConfigureAwait(false);
                        }
                    }
                }

                break;
            case "query:change":
                if (RealtimeWire.ReadQueryId(received.Packet.Span) is { } queryId)
                {
                    foreach (var watch in watches)
                    {
                        if (watch.QueryId == queryId)
                        {
                            await Deliver(watch, watch.OnQueryChangeAsync(received.Packet, stop)).ConfigureAwait(false);
                        }
                    }
                }

                break;
            case "error" when RealtimeWire.ReadLimitError(received.Packet.Span) is { } limitMessage:
                // The plan's connection limit: trying again cannot help.
                FailAll(new MudbaseException("The realtime server refused the connection: " + limitMessage));
                break;
            default:
                break;
        }

        async ValueTask Deliver(RealtimeWatch watch, ValueTask delivery)
        {
            try
            {
                await delivery.ConfigureAwait(false);
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or NotSupportedException)
            {
                // An event this watch's type cannot read ends this watch, as an unreadable REST answer would fail its call.
                watch.End(new MudbaseException($"A realtime event could not be read as {watch.DocumentTypeName}: {e.Message}", e));
                await RemoveAsync(watch).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Subscribes one watch on one connection; a refusal ends that watch, a lost connection is the loop's to handle.</summary>
    private async Task SubscribeAsync(RealtimeWatch watch, SocketIoConnection connection)
    {
        try
        {
            await watch.SubscribeAsync(connection, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketIoException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection ended meanwhile: the next one subscribes again.
        }
        catch (MudbaseException e) when (e is MudbaseForbiddenException or MudbaseNotFoundException or MudbaseAuthenticationException or MudbaseValidationException)
        {
            // Refused for good (no permission, no such collection, no session): this watch ends with why.
            watch.End(e);
            await RemoveAsync(watch).ConfigureAwait(false);
        }
        catch (MudbaseException)
        {
            // The state could not be fetched (the network, a 5xx, an answer that did not parse): drop the connection, so
            // that the next one, after the backoff, subscribes and fetches again.
            await connection.CloseAsync().ConfigureAwait(false);
        }
    }

    private async ValueTask<string?> GetTokenAsync(CancellationToken cancellationToken)
    {
        var session = await _sessions.GetFreshAsync(cancellationToken).ConfigureAwait(false);
        return session?.Token ?? throw new MudbaseAuthenticationException(
            "Realtime needs a signed-in user: sign in (or create an anonymous session) first. An API key does not open a realtime connection.");
    }

    private async Task DelayAsync(ReconnectBackoff backoff, string reason, CancellationToken stop)
    {
        var delay = backoff.NextDelay();
        Log.RealtimeRetrying(_logger, delay.TotalMilliseconds, reason, backoff.Attempt);
        await Task.Delay(delay, _timeProvider, stop).ConfigureAwait(false);
    }

    private void FailAll(Exception error)
    {
        RealtimeWatch[] watches;
        lock (_gate)
        {
            watches = _watches;
            _watches = [];
            _held = false;
            _stop?.Cancel();
            _connected.TrySetException(error);
        }

        Log.RealtimeGaveUp(_logger, error.Message);
        foreach (var watch in watches)
        {
            watch.End(error);
        }
    }

    private void Finish(CancellationTokenSource stopSource, Exception? fatal)
    {
        if (fatal is not null)
        {
            FailAll(fatal);
        }

        lock (_gate)
        {
            // A loop started after this one was told to stop (see EnsureRunning) is left alone.
            if (ReferenceEquals(_stop, stopSource))
            {
                _loop = null;
                _stop = null;
                _sessions.Changed -= OnSessionChanged;
                _listening = false;
            }
        }

        stopSource.Dispose();
        SetState(RealtimeState.Disconnected, fatal);
        Log.RealtimeClosed(_logger);
    }

    private void SetState(RealtimeState state, Exception? reason = null)
    {
        RealtimeState previous;
        lock (_gate)
        {
            previous = _state;
            if (previous == state)
            {
                return;
            }

            _state = state;
        }

        StateChanged?.Invoke(this, new RealtimeStateChangedEventArgs(previous, state, reason));
    }

    private void OnSessionChanged(object? sender, SessionChangedEventArgs e)
    {
        // A token is checked only at the handshake: another user (or none) must reconnect, and every watch resyncs as them.
        if (e.Reason is SessionChangeReason.SignedIn or SessionChangeReason.SignedOut or SessionChangeReason.RefreshRejected)
        {
            SocketIoConnection? connection;
            lock (_gate)
            {
                connection = _connection;
            }

            if (connection is not null)
            {
                _ = connection.CloseAsync();
            }
        }
    }
}
