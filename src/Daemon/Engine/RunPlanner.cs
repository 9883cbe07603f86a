using Provisioning.Daemon.Model;

namespace Provisioning.Daemon.Engine;

/// <summary>
/// When the engine runs next by itself: at boot with nothing valid stored (after the random boot delay), at
/// the refresh point of the stored provisioning, or again after a run that left the device without a valid
/// provisioning. Expiry is not judged while the clock is before the build date (a box that boots at 1970).
/// Pure: the time, the build date and the random source come in, so every case is a unit test.
/// </summary>
internal sealed class RunPlanner(EngineOptions engine, BootOptions boot, DateTimeOffset buildDate, Func<double> random)
{
    /// <summary>How often an unset clock is looked at again.</summary>
    public static readonly TimeSpan ClockCheckInterval = TimeSpan.FromMinutes(1);

    /// <summary>The next run, or null when none is due by itself (a provisioning without expiry).</summary>
    /// <param name="stored">The stored provisioning, if any.</param>
    /// <param name="now">The current time.</param>
    /// <param name="atBoot">True at start: a due run waits the random boot delay instead of the rerun delay.</param>
    public Schedule? Plan(ProvisioningDocument? stored, DateTimeOffset now, bool atBoot)
    {
        bool clockSet = now >= buildDate;
        if (stored is null || (clockSet && stored.Expires <= now))
        {
            return Again(now, atBoot, atBoot ? RunTrigger.Boot : RunTrigger.Rerun);
        }

        if (stored.Expires is not { } expires)
        {
            return null;
        }

        if (!clockSet)
        {
            return new Schedule(now + ClockCheckInterval, null);
        }

        DateTimeOffset refreshAt = stored.Issued + ((expires - stored.Issued) * engine.RefreshFraction);
        return refreshAt > now
            ? new Schedule(refreshAt, RunTrigger.Refresh)
            : Again(now, atBoot, atBoot ? RunTrigger.Refresh : RunTrigger.Rerun);
    }

    private Schedule Again(DateTimeOffset now, bool atBoot, RunTrigger trigger) =>
        new(now + (atBoot ? BootDelay() : engine.RerunDelay), trigger);

    private TimeSpan BootDelay() => boot.MaxDelay <= TimeSpan.Zero ? TimeSpan.Zero : boot.MaxDelay * random();
}
