using Microsoft.Extensions.Time.Testing;

namespace Provisioning.Daemon.Tests.BackOffice;

/// <summary>
/// A FakeTimeProvider that knows which timers are pending, so a test can wait until the client is really
/// waiting for a given instant before moving time there: spacing then comes out exact, never racy.
/// A timer is announced only after the fake clock holds it: FakeTimeProvider computes a timer's wake-up time
/// from its own clock when the timer is armed, so a clock moved between announcement and arming would put
/// the timer a whole delay later than the test believes, and the run would wait forever.
/// </summary>
internal sealed class TimerTrackingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<TrackedTimer, DateTimeOffset> _pending = [];
    private TaskCompletionSource _changed = NewSignal();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var tracked = new TrackedTimer(this);

        // Created stopped, then armed: a timer is announced only once the fake clock really has it, so a test
        // that moves time as soon as it sees the timer cannot move past a timer the clock does not know yet.
        tracked.Inner = base.CreateTimer(
            s =>
            {
                tracked.Fired();
                callback(s);
            },
            state,
            Timeout.InfiniteTimeSpan,
            Timeout.InfiniteTimeSpan);
        tracked.Change(dueTime, period);
        return tracked;
    }

    /// <summary>Waits (real time, bounded) until a timer is due exactly at the given instant.</summary>
    public async Task WaitForTimerAtAsync(DateTimeOffset due, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_lock)
            {
                if (_pending.ContainsValue(due))
                {
                    return;
                }

                changed = _changed.Task;
            }

            try
            {
                await changed.WaitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No timer became due at {due:O}; pending: {string.Join(", ", PendingDueTimes())}");
            }
        }
    }

    /// <summary>When each pending timer is due, for failure messages.</summary>
    public IReadOnlyList<string> PendingDueTimes()
    {
        lock (_lock)
        {
            return [.. _pending.Values.Order().Select(due => due.ToString("O"))];
        }
    }

    /// <summary>Publishes the timer's current due time; each change of it is followed by a call, so the last call sees the last value.</summary>
    private void Update(TrackedTimer timer)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            if (timer.Due is { } due)
            {
                _pending[timer] = due;
            }
            else
            {
                _pending.Remove(timer);
            }

            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class TrackedTimer(TimerTrackingTimeProvider owner) : ITimer
    {
        private readonly Lock _lock = new();
        private TimeSpan _period = Timeout.InfiniteTimeSpan;

        public ITimer Inner { get; set; } = null!;

        private DateTimeOffset? _due;

        /// <summary>When the timer will fire, or null; set before the fake clock knows it, announced by <see cref="Update"/> after.</summary>
        public DateTimeOffset? Due
        {
            get
            {
                lock (_lock)
                {
                    return _due;
                }
            }
        }

        public void Fired()
        {
            lock (_lock)
            {
                _due = _period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero ? null : owner.GetUtcNow() + _period;
            }

            owner.Update(this);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            lock (_lock)
            {
                _period = period;
                _due = dueTime == Timeout.InfiniteTimeSpan ? null : owner.GetUtcNow() + dueTime;
            }

            // A timer due at once fires inside Inner.Change, and Fired then clears the due time before it is announced.
            bool changed = Inner.Change(dueTime, period);
            owner.Update(this);
            return changed;
        }

        public void Dispose()
        {
            Inner.Dispose();
            lock (_lock)
            {
                _due = null;
            }

            owner.Update(this);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
