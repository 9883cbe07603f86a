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
        return TimeSpan.FromTicks((long)(nominal * (0.5 + (0.5 * Math.Clamp(random, 0, 1)))));
    }

    /// <summary>The back-off, never less than what the back office asked for, never more than the cap.</summary>
    public static TimeSpan Next(TimeSpan backoff, TimeSpan? notBefore, TimeSpan maxDelay)
    {
        TimeSpan delay = notBefore is { } floor && floor > backoff ? floor : backoff;
        return delay > maxDelay ? maxDelay : delay;
    }
}
