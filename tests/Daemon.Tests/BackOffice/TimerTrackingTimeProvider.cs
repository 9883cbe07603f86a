using Microsoft.Extensions.Time.Testing;

namespace Provisioning.Daemon.Tests.BackOffice;

/// <summary>
/// A FakeTimeProvider that knows which timers are pending, so a test can wait until the client is really
/// waiting for a given instant before moving time there: spacing then comes out exact, never racy.
/// </summary>
internal sealed class TimerTrackingTimeProvider(DateTimeOffset start) : FakeTimeProvider(start)
{
    private readonly Lock _lock = new();
    private readonly List<TrackedTimer> _pending = [];
    private TaskCompletionSource _changed = NewSignal();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var tracked = new TrackedTimer(this);

        // Scheduled first: a timer due at once may fire inside base.CreateTimer.
        tracked.Schedule(dueTime, period);
        tracked.Inner = base.CreateTimer(
            s =>
            {
                tracked.Fired();
                callback(s);
            },
            state,
            dueTime,
            period);
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
                if (_pending.Any(t => t.Due == due))
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

    private IEnumerable<string> PendingDueTimes()
    {
        lock (_lock)
        {
            return [.. _pending.Select(t => t.Due?.ToString("O") ?? "never")];
        }
    }

    private void Update(TrackedTimer timer, bool pending)
    {
        TaskCompletionSource changed;
        lock (_lock)
        {
            _pending.Remove(timer);
            if (pending)
            {
                _pending.Add(timer);
            }

            changed = _changed;
            _changed = NewSignal();
        }

        changed.TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private sealed class TrackedTimer(TimerTrackingTimeProvider owner) : ITimer
    {
        private TimeSpan _period;

        public ITimer Inner { get; set; } = null!;

        public DateTimeOffset? Due { get; private set; }

        public void Schedule(TimeSpan dueTime, TimeSpan period)
        {
            _period = period;
            Due = dueTime == Timeout.InfiniteTimeSpan ? null : owner.GetUtcNow() + dueTime;
            owner.Update(this, Due is not null);
        }

        public void Fired()
        {
            if (_period == Timeout.InfiniteTimeSpan || _period == TimeSpan.Zero)
            {
                Due = null;
                owner.Update(this, pending: false);
            }
            else
            {
                Due = owner.GetUtcNow() + _period;
                owner.Update(this, pending: true);
            }
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            bool changed = Inner.Change(dueTime, period);
            Schedule(dueTime, period);
            return changed;
        }

        public void Dispose()
        {
            Inner.Dispose();
            owner.Update(this, pending: false);
        }

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
