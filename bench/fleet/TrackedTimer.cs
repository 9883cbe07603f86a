namespace Provisioning.Bench.Fleet;

/// <summary>A timer of the fake clock whose due time the fleet run can see.</summary>
internal sealed class TrackedTimer(DeviceClock clock, TimerCallback callback, object? state) : ITimer
{
    private long _dueTicks = long.MaxValue;
    private TimeSpan _period = Timeout.InfiniteTimeSpan;
    private ITimer? _inner;

    /// <summary>When it fires next, in ticks of the fleet clock; long.MaxValue when it will not.</summary>
    public long DueTicks => Volatile.Read(ref _dueTicks);

    public void Start(TimeSpan dueTime, TimeSpan period)
    {
        Arm(dueTime, period);
        _inner = clock.Fleet.Fake.CreateTimer(static s => ((TrackedTimer)s!).Fire(), this, dueTime, period);
    }

    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        Arm(dueTime, period);
        return _inner!.Change(dueTime, period);
    }

    public void Dispose()
    {
        Volatile.Write(ref _dueTicks, long.MaxValue);
        _inner?.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private void Arm(TimeSpan dueTime, TimeSpan period)
    {
        _period = period;
        long due = dueTime == Timeout.InfiniteTimeSpan ? long.MaxValue : clock.GetUtcNow().UtcTicks + dueTime.Ticks;
        Volatile.Write(ref _dueTicks, due);
        if (due != long.MaxValue)
        {
            clock.Fleet.Track(this, due);
        }
    }

    private void Fire()
    {
        if (_period <= TimeSpan.Zero || _period == Timeout.InfiniteTimeSpan)
        {
            Volatile.Write(ref _dueTicks, long.MaxValue);
        }
        else
        {
            Arm(_period, _period);
        }

        clock.Fired();
        callback(state);
    }
}
