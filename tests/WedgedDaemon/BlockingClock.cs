namespace Provisioning.Daemon.Wedged;

/// <summary>
/// A clock whose GetUtcNow does not return while <paramref name="blocked"/> says so: given to the engine only, it
/// stalls the engine's loop at its next look at the time, the way a deadlock or a stuck call would, while
/// every other thread of the process (the watchdog's timer included) runs on.
/// </summary>
internal sealed class BlockingClock(Func<bool> blocked, TimeProvider inner) : TimeProvider
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);
    private int _holding;

    /// <summary>True while a caller is stalled in GetUtcNow.</summary>
    public bool IsHolding => Volatile.Read(ref _holding) > 0;

    public override DateTimeOffset GetUtcNow()
    {
        if (blocked())
        {
            Interlocked.Increment(ref _holding);
            while (blocked())
            {
                Thread.Sleep(PollInterval);
            }

            Interlocked.Decrement(ref _holding);
        }

        return inner.GetUtcNow();
    }

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}
