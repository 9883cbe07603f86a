using Provisioning.Daemon.Engine;
using Provisioning.Daemon.Model;

namespace Provisioning.Daemon.Tests.Engine;

/// <summary>When the engine runs by itself: every rule of the planner, with the time, build date and randomness fixed.</summary>
public sealed class RunPlannerTests
{
    private static readonly DateTimeOffset BuildDate = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan MaxDelay = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan RerunDelay = TimeSpan.FromMinutes(15);

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(0.25, 150)]
    [InlineData(0.999, 599.4)]
    public void Plan_NothingStoredAtBoot_RunsAfterTheRandomShareOfTheBootWindow(double random, double seconds)
    {
        Schedule plan = Planner(random: random).Plan(null, Now, atBoot: true)!;

        Assert.Equal(new Schedule(Now + TimeSpan.FromSeconds(seconds), RunTrigger.Boot), plan);
    }

    [Fact]
    public void Plan_NoBootWindow_RunsAtOnce()
    {
        var planner = new RunPlanner(new EngineOptions(), new BootOptions { MaxDelay = TimeSpan.Zero }, BuildDate, () => 0.9);

        Assert.Equal(new Schedule(Now, RunTrigger.Boot), planner.Plan(null, Now, atBoot: true));
    }

    [Fact]
    public void Plan_NothingStoredAfterARun_RunsAgainAfterTheRerunDelay() =>
        Assert.Equal(new Schedule(Now + RerunDelay, RunTrigger.Rerun), Planner().Plan(null, Now, atBoot: false));

    [Fact]
    public void Plan_StoredWithoutExpiry_NeverRunsByItself() =>
        Assert.Null(Planner().Plan(Document(Now.AddDays(-1), expires: null), Now, atBoot: true));

    [Fact]
    public void Plan_StoredAndFresh_RefreshesAtTheConfiguredFractionOfItsLifetime()
    {
        DateTimeOffset issued = Now.AddDays(-10);
        ProvisioningDocument stored = Document(issued, issued.AddDays(100));

        Schedule plan = Planner(refreshFraction: 0.8).Plan(stored, Now, atBoot: true)!;

        Assert.Equal(new Schedule(issued.AddDays(80), RunTrigger.Refresh), plan);
    }

    [Fact]
    public void Plan_PastTheRefreshPointAtBoot_RefreshesAfterTheBootDelay()
    {
        DateTimeOffset issued = Now.AddDays(-90);
        ProvisioningDocument stored = Document(issued, issued.AddDays(100));

        Assert.Equal(new Schedule(Now + (MaxDelay / 2), RunTrigger.Refresh), Planner(random: 0.5).Plan(stored, Now, atBoot: true));
        Assert.Equal(new Schedule(Now + RerunDelay, RunTrigger.Rerun), Planner(random: 0.5).Plan(stored, Now, atBoot: false));
    }

    [Fact]
    public void Plan_ExpiredAtBoot_ProvisionsAgainAsAtAFirstBoot()
    {
        ProvisioningDocument expired = Document(Now.AddDays(-400), Now.AddDays(-35));

        Assert.Equal(new Schedule(Now + (MaxDelay / 2), RunTrigger.Boot), Planner(random: 0.5).Plan(expired, Now, atBoot: true));
    }

    [Fact]
    public void Plan_ClockBeforeTheBuildDate_DoesNotJudgeExpiryAndLooksAgainInAMinute()
    {
        DateTimeOffset boxClock = new(1970, 1, 1, 0, 0, 5, TimeSpan.Zero);
        ProvisioningDocument stored = Document(BuildDate.AddDays(10), BuildDate.AddDays(375));

        Schedule plan = Planner().Plan(stored, boxClock, atBoot: true)!;

        Assert.Equal(new Schedule(boxClock + RunPlanner.ClockCheckInterval, null), plan);
    }

    [Fact]
    public void Plan_ClockBeforeTheBuildDateAndNothingStored_StillProvisions() =>
        Assert.Equal(RunTrigger.Boot, Planner().Plan(null, new DateTimeOffset(1970, 1, 1, 0, 0, 5, TimeSpan.Zero), atBoot: true)!.Trigger);

    [Fact]
    public void Plan_ClockSetPastTheBuildDate_JudgesTheExpiryAgain()
    {
        ProvisioningDocument expired = Document(BuildDate.AddDays(-400), BuildDate.AddDays(-35));

        Assert.Null(Planner().Plan(expired, BuildDate.AddSeconds(-1), atBoot: false)!.Trigger);
        Assert.Equal(RunTrigger.Rerun, Planner().Plan(expired, BuildDate, atBoot: false)!.Trigger);
    }

    private static RunPlanner Planner(double random = 0.5, double refreshFraction = 0.8) => new(
        new EngineOptions { RefreshFraction = refreshFraction, RerunDelay = RerunDelay },
        new BootOptions { MaxDelay = MaxDelay },
        BuildDate,
        () => random);

    private static ProvisioningDocument Document(DateTimeOffset issued, DateTimeOffset? expires) =>
        new("WPE00000uCfrLF45", issued, expires, [new LabelKeys("netflix", [[1, 2, 3]])]);
}
