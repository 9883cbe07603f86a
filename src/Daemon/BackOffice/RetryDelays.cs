namespace Provisioning.Daemon.BackOffice;

/// <summary>The waits between attempts: exponential back-off with jitter, Retry-After as a floor, one cap over both.</summary>
internal static class RetryDelays
{
    /// <summary>
    /// The back-off after the given number of consecutive failures (1 for the first), drawn as
    /// <paramref name="jitter"/> says from the nominal delay base * 2^(failures-1), capped at maxDelay.
    /// </summary>
    /// <param name="jitter">How the wait is drawn.</param>
    /// <param name="failures">Consecutive failures so far, 1 for the first.</param>
    /// <param name="previous">The previous back-off of the run (zero before the first); decorrelated jitter grows from it.</param>
    /// <param name="baseDelay">The nominal first delay.</param>
    /// <param name="maxDelay">The cap.</param>
    /// <param name="random">A number in [0, 1).</param>
    public static TimeSpan Backoff(RetryJitter jitter, int failures, TimeSpan previous, TimeSpan baseDelay, TimeSpan maxDelay, double random)
    {
        double r = Math.Clamp(random, 0, 1);
        double nominal = Math.Min(baseDelay.Ticks * Math.Pow(2, Math.Clamp(failures - 1, 0, 62)), maxDelay.Ticks);
        double ticks = jitter switch
        {
            RetryJitter.Full => nominal * r,
            RetryJitter.Decorrelated => Math.Min(
                maxDelay.Ticks,
                baseDelay.Ticks + (r * Math.Max(0, (3.0 * Math.Max(previous.Ticks, baseDelay.Ticks)) - baseDelay.Ticks))),
            _ => nominal * (0.5 + (0.5 * r)),
        };

        // Whole milliseconds, the resolution of timers: the announced next attempt is then the real one.
        long whole = (long)ticks;
        return TimeSpan.FromTicks(Math.Max(whole - (whole % TimeSpan.TicksPerMillisecond), TimeSpan.TicksPerMillisecond));
    }

    /// <summary>
    /// How much earlier than asked a timer may fire: .NET's timers run on the kernel's coarse monotonic clock, whose
    /// resolution is one kernel tick (1-10 ms). Measured by bench/chaos: without it, 2 of 103 attempts after a
    /// Retry-After came 1-2 ms before it allowed.
    /// </summary>
    public static readonly TimeSpan TimerSlack = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// The back-off, never less than what the back office asked for (plus <see cref="TimerSlack"/>, so that the
    /// attempt never comes before it), never more than the cap.
    /// </summary>
    public static TimeSpan Next(TimeSpan backoff, TimeSpan? notBefore, TimeSpan maxDelay)
    {
        TimeSpan delay = notBefore is { } asked && asked + TimerSlack > backoff ? asked + TimerSlack : backoff;
        delay = delay > maxDelay ? maxDelay : delay;

        // Rounded up to whole milliseconds, the resolution of timers, so a Retry-After date is never undercut.
        long partial = delay.Ticks % TimeSpan.TicksPerMillisecond;
        return partial == 0 ? delay : delay + TimeSpan.FromTicks(TimeSpan.TicksPerMillisecond - partial);
    }
}
