namespace Provisioning.Daemon.BackOffice;

/// <summary>The waits between attempts: exponential back-off with jitter, Retry-After as a floor, one cap over both.</summary>
internal static class RetryDelays
{
    /// <summary>
    /// The back-off after the given number of consecutive failures (1 for the first): a nominal delay of
    /// base * 2^(failures-1), capped at maxDelay, of which a random half is kept ("equal jitter"). Devices
    /// that fail together spread out, yet every wait is at least half the nominal one, so the back-off
    /// still grows with each failure until the cap.
    /// </summary>
    /// <param name="random">A number in [0, 1).</param>
    public static TimeSpan Backoff(int failures, TimeSpan baseDelay, TimeSpan maxDelay, double random)
    {
        double nominal = Math.Min(baseDelay.Ticks * Math.Pow(2, Math.Clamp(failures - 1, 0, 62)), maxDelay.Ticks);
        long ticks = (long)(nominal * (0.5 + (0.5 * Math.Clamp(random, 0, 1))));

        // Whole milliseconds, the resolution of timers: the announced next attempt is then the real one.
        return TimeSpan.FromTicks(Math.Max(ticks - (ticks % TimeSpan.TicksPerMillisecond), TimeSpan.TicksPerMillisecond));
    }

    /// <summary>The back-off, never less than what the back office asked for, never more than the cap.</summary>
    public static TimeSpan Next(TimeSpan backoff, TimeSpan? notBefore, TimeSpan maxDelay)
    {
        TimeSpan delay = notBefore is { } floor && floor > backoff ? floor : backoff;
        delay = delay > maxDelay ? maxDelay : delay;

        // Rounded up to whole milliseconds, the resolution of timers, so a Retry-After date is never undercut.
        long partial = delay.Ticks % TimeSpan.TicksPerMillisecond;
        return partial == 0 ? delay : delay + TimeSpan.FromTicks(TimeSpan.TicksPerMillisecond - partial);
    }
}
