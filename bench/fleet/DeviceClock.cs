namespace Provisioning.Bench.Fleet;

/// <summary>
/// One device's view of the fleet clock. Time is the fleet's; each timer is also recorded here, so the run
/// can tell a device that is waiting (its next attempt's timer is armed) from one still at work.
/// </summary>
internal sealed class DeviceClock(FleetClock fleet, Action onTimerFired) : TimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<TrackedTimer> _timers = [];

    public FleetClock Fleet => fleet;

    public override DateTimeOffset GetUtcNow() => fleet.Fake.GetUtcNow();

    public override long GetTimestamp() => fleet.Fake.GetTimestamp();

    public override long TimestampFrequency => fleet.Fake.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => TimeZoneInfo.Utc;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new TrackedTimer(this, callback, state);
        lock (_gate)
        {
            _timers.RemoveAll(t => t.DueTicks == long.MaxValue);
            _timers.Add(timer);
        }

        timer.Start(dueTime, period);
        return timer;
    }

    /// <summary>True when a live timer falls due within [<paramref name="at"/>, at + <paramref name="tolerance"/>].</summary>
    public bool HasTimerDue(DateTimeOffset at, TimeSpan tolerance)
    {
        long from = at.UtcTicks;
        long to = from + tolerance.Ticks;
        lock (_gate)
        {
            foreach (TrackedTimer timer in _timers)
            {
                long due = timer.DueTicks;
                if (due >= from && due <= to)
                {
                    return true;
                }
            }
        }

        return false;
    }

    internal void Fired() => onTimerFired();
}
