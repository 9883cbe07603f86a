namespace Provisioning.Bench.Api;

/// <summary>How long the chaos bench runs, and the daemon's retry policy it checks attempts against.</summary>
internal sealed record ChaosOptions(TimeSpan Duration, int DaemonPid, int Seed, TimeSpan RetryBase, TimeSpan RetryMax)
{
    /// <summary>
    /// The most attempts one run can make in <paramref name="span"/> (first to last attempt) against a back office
    /// that fails without Retry-After: the first at once, then each after at least half its back-off (the Equal
    /// jitter draws 50-100 % of a delay that starts at RetryBase and doubles up to RetryMax).
    /// </summary>
    public int AttemptBound(TimeSpan span)
    {
        int attempts = 1;
        TimeSpan spent = TimeSpan.Zero;
        for (TimeSpan delay = RetryBase; ; delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, RetryMax.Ticks)))
        {
            spent += delay / 2;
            if (spent > span)
            {
                return attempts;
            }

            attempts++;
        }
    }
}
