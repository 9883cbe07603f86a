using Microsoft.Extensions.Time.Testing;

namespace Provisioning.Bench.Fleet;

/// <summary>
/// The one virtual clock of a fleet run: a <see cref="FakeTimeProvider"/>, plus the due time of every timer
/// the devices created through their <see cref="DeviceClock"/>, so the run can jump straight to the next
/// thing that happens instead of stepping through idle time.
/// </summary>
internal sealed class FleetClock(DateTimeOffset start)
{
    private readonly Lock _gate = new();
    private readonly PriorityQueue<TrackedTimer, long> _due = new();

    public FakeTimeProvider Fake { get; } = new(start);

    public DateTimeOffset Now => Fake.GetUtcNow();

    /// <summary>The earliest due time of a live timer, in ticks; null when none is armed.</summary>
    public long? NextDueTicks()
    {
        lock (_gate)
        {
            while (_due.TryPeek(out TrackedTimer? timer, out long due))
            {
                if (timer.DueTicks == due)
                {
                    return due;
                }

                _ = _due.Dequeue();
            }

            return null;
        }
    }

    public void Track(TrackedTimer timer, long dueTicks)
    {
        lock (_gate)
        {
            _due.Enqueue(timer, dueTicks);
        }
    }
}
