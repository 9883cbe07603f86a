namespace Provisioning.Daemon.Engine;

internal sealed partial class ProvisioningEngine
{
    private static readonly TimeSpan ClockCheckInterval = TimeSpan.FromMinutes(1);

    // Timers take at most ~49 days; a schedule further out wakes up daily and re-arms.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromDays(1);

    private ITimer? _scheduleTimer;
    private long _scheduleGeneration;
    private Schedule? _schedule;

    /// <summary>
    /// When to run next by itself: at boot with nothing valid stored (after the random boot delay), at the
    /// refresh point of the stored provisioning, or again after a run that left the device without a valid
    /// provisioning. Expiry is not judged while the clock is before the build date.
    /// </summary>
    private Schedule? PlanNext(bool atBoot)
    {
        DateTimeOffset now = _time.GetUtcNow();
        var stored = _stored.Provisioning;
        bool clockSet = now >= BuildInfo.BuildDate;
        if (stored is null || (clockSet && stored.Expires <= now))
        {
            return atBoot ? new Schedule(now + BootDelay(), RunTrigger.Boot) : new Schedule(now + _options.Value.RerunDelay, RunTrigger.Rerun);
        }

        if (stored.Expires is not { } expires)
        {
            return null;
        }

        if (!clockSet)
        {
            return new Schedule(now + ClockCheckInterval, null);
        }

        DateTimeOffset refreshAt = stored.Issued + ((expires - stored.Issued) * _options.Value.RefreshFraction);
        if (refreshAt > now)
        {
            return new Schedule(refreshAt, RunTrigger.Refresh);
        }

        return atBoot ? new Schedule(now + BootDelay(), RunTrigger.Refresh) : new Schedule(now + _options.Value.RerunDelay, RunTrigger.Rerun);
    }

    private TimeSpan BootDelay() =>
        _bootOptions.Value.MaxDelay <= TimeSpan.Zero ? TimeSpan.Zero : _bootOptions.Value.MaxDelay * Random.Shared.NextDouble();

    /// <summary>Replaces the pending schedule (if any) with this one.</summary>
    private void Arm(Schedule? schedule)
    {
        DisposeSchedule();
        _schedule = schedule;
        if (schedule is null)
        {
            return;
        }

        long generation = ++_scheduleGeneration;
        TimeSpan due = schedule.At - _time.GetUtcNow();
        EngineLog.Scheduled(_logger, schedule.Trigger, schedule.At);
        if (due <= TimeSpan.Zero)
        {
            _ = Post(new EngineCommand.ScheduleDue(generation));
            return;
        }

        TimeSpan wake = due < LongestTimer ? due : LongestTimer;
        _scheduleTimer = _time.CreateTimer(_ => Post(new EngineCommand.ScheduleDue(generation)), null, wake, Timeout.InfiniteTimeSpan);
    }

    private void DisposeSchedule()
    {
        _scheduleTimer?.Dispose();
        _scheduleTimer = null;
        _schedule = null;
        _scheduleGeneration++;
    }

    private void OnScheduleDue(long generation)
    {
        if (generation != _scheduleGeneration || _schedule is not { } schedule || _run is not null || _stopping)
        {
            return;
        }

        if (schedule.At > _time.GetUtcNow())
        {
            Arm(schedule);
            return;
        }

        if (schedule.Trigger is { } trigger)
        {
            _ = TryStartRun(trigger);
            return;
        }

        Schedule? next = PlanNext(atBoot: false);
        Arm(next);
        Publish(state => state with { NextAttemptAt = next?.At }, StateChange.Scheduled);
    }
}
