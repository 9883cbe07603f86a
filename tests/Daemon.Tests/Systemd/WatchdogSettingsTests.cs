using Provisioning.Daemon.Systemd;

namespace Provisioning.Daemon.Tests.Systemd;

public sealed class WatchdogSettingsTests
{
    [Theory]
    [InlineData("30000000", null, 15_000)]
    [InlineData("30000000", "4242", 15_000)]
    [InlineData("1000", null, 1)]
    public void Interval_ForThisProcess_IsHalfTheTimeout(string usec, string? pid, int expectedMilliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMilliseconds), WatchdogSettings.Interval(usec, pid, processId: 4242));
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("0", null)]
    [InlineData("-5", null)]
    [InlineData("abc", null)]
    [InlineData("30000000", "1")]
    [InlineData("30000000", "x")]
    public void Interval_NotAskedForOrMeantForAnotherProcess_IsNone(string? usec, string? pid)
    {
        Assert.Null(WatchdogSettings.Interval(usec, pid, processId: 4242));
    }

    [Fact]
    public void Interval_Huge_IsCappedAtADay()
    {
        Assert.Equal(TimeSpan.FromDays(1), WatchdogSettings.Interval(ulong.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), null, 1));
    }
}
