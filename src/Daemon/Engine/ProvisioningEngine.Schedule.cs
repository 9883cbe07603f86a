namespace Provisioning.Daemon.Engine;

internal sealed partial class ProvisioningEngine
{
    // Timers take at most ~49 days; a schedule further out wakes up daily and re-arms.
    private static readonly TimeSpan LongestTimer = TimeSpan.FromDays(1);

    private ITimer? _scheduleTimer;
    private long _scheduleGeneration;
    private Schedule? _schedule;

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

        Schedule? next = Parts.Planner.Plan(_stored.Provisioning, _time.GetUtcNow(), atBoot: false);
        Arm(next);
        Publish(state => state with { NextAttemptAt = next?.At }, StateChange.Scheduled);
    }
}
