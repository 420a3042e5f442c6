using System.Collections.Concurrent;
using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;

namespace Mudbase.Tests.Support;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that also reports every timer armed on it (Polly's delays and timeouts,
/// cancellation timers), with its due time. A test waits for the timer, checks its due time, then advances the
/// clock: nothing ever sleeps, and nothing is advanced before the code under test has armed its timer.
/// </summary>
internal sealed class ManualClock : TimeProvider
{
    public static readonly DateTimeOffset Start = new(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);

    private readonly FakeTimeProvider _fake = new(Start);
    private readonly Channel<TimeSpan> _armed = Channel.CreateUnbounded<TimeSpan>();
    private readonly ConcurrentQueue<TimeSpan> _history = new();

    public override DateTimeOffset GetUtcNow() => _fake.GetUtcNow();

    public override long GetTimestamp() => _fake.GetTimestamp();

    public override long TimestampFrequency => _fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => _fake.LocalTimeZone;

    /// <summary>Every finite due time armed so far, in order.</summary>
    public IReadOnlyList<TimeSpan> ArmedSoFar => _history.ToArray();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new RecordingTimer(this, _fake.CreateTimer(callback, state, dueTime, period));
        Armed(dueTime);
        return timer;
    }

    public void Advance(TimeSpan by) => _fake.Advance(by);

    /// <summary>The due time of the next timer armed (waits in real time, at most 10 s, for the code under test to arm it).</summary>
    public async Task<TimeSpan> NextTimerAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            return await _armed.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No timer was armed within 10 s of real time.");
        }
    }

    /// <summary>True when a timer was armed that has not been taken by <see cref="NextTimerAsync"/>.</summary>
    public bool HasPendingTimer => _armed.Reader.Count > 0;

    /// <summary>
    /// Runs the clock for <paramref name="task"/>: each time a timer is armed, advances by its due time,
    /// until the task ends. Returns the due times it advanced by.
    /// </summary>
    public async Task<List<TimeSpan>> DriveAsync(Task task)
    {
        var advanced = new List<TimeSpan>();
        using var giveUp = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!task.IsCompleted)
        {
            var next = _armed.Reader.ReadAsync(giveUp.Token).AsTask();
            var first = await Task.WhenAny(task, next);
            if (first == task)
            {
                break;
            }

            var due = await next;
            advanced.Add(due);
            _fake.Advance(due);
        }

        return advanced;
    }

    private void Armed(TimeSpan dueTime)
    {
        if (dueTime != Timeout.InfiniteTimeSpan && dueTime >= TimeSpan.Zero)
        {
            _history.Enqueue(dueTime);
            _armed.Writer.TryWrite(dueTime);
        }
    }

    private sealed class RecordingTimer(ManualClock clock, ITimer inner) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            var changed = inner.Change(dueTime, period);
            clock.Armed(dueTime);
            return changed;
        }

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
