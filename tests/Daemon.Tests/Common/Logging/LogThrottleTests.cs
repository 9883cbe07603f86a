using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Provisioning.Daemon.Common.Logging;

namespace Provisioning.Daemon.Tests.Common.Logging;

/// <summary>A message callers can repeat at will: a burst per window, then one line that counts what was left out.</summary>
public sealed class LogThrottleTests
{
    [Fact]
    public void MoreThanABurstInAWindow_TheRestAreLeftOut_AndCountedBeforeTheNextWindowsFirst()
    {
        var time = new FakeTimeProvider();
        var logger = new FakeLogger();
        var throttle = new LogThrottle(3007, time);

        int admitted = Enumerable.Range(0, 25).Count(_ => throttle.Admit(logger));
        Assert.Equal(LogThrottle.Burst, admitted);
        Assert.Equal(0, logger.Collector.Count);

        time.Advance(LogThrottle.Window - TimeSpan.FromSeconds(1));
        Assert.False(throttle.Admit(logger));

        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(throttle.Admit(logger));
        FakeLogRecord leftOut = Assert.Single(logger.Collector.GetSnapshot());
        Assert.Equal(5300, leftOut.Id.Id);
        Assert.Equal(LogLevel.Warning, leftOut.Level);
        Assert.Equal("16 more messages of event 3007 were not logged: callers caused more than 10 in 00:01:00", leftOut.Message);

        // The count starts again: the new window's burst passes without another such line.
        Assert.Equal(LogThrottle.Burst - 1, Enumerable.Range(0, LogThrottle.Burst - 1).Count(_ => throttle.Admit(logger)));
        Assert.Equal(1, logger.Collector.Count);
    }

    [Fact]
    public void FromManyThreadsAtOnce_ExactlyABurstIsAdmitted()
    {
        var time = new FakeTimeProvider();
        var throttle = new LogThrottle(2011, time);
        var logger = new FakeLogger();
        int admitted = 0;

        Parallel.For(0, 1000, _ =>
        {
            if (throttle.Admit(logger))
            {
                Interlocked.Increment(ref admitted);
            }
        });

        Assert.Equal(LogThrottle.Burst, admitted);
    }
}
