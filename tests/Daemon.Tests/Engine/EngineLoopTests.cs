using Provisioning.Daemon.BackOffice;
using Provisioning.Daemon.Engine;
using Provisioning.Daemon.State;
using Provisioning.Daemon.Tests.State;

namespace Provisioning.Daemon.Tests.Engine;

/// <summary>
/// The engine's command loop alone, on a fake clock with a scripted back office: the rules that need hours
/// of time or a precise order of events, in milliseconds.
/// </summary>
public sealed class EngineLoopTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Boot_NothingStored_RunsWhenTheBootDelayIsOver()
    {
        await using EngineHarness harness = await new EngineHarness(Now, bootDelay: TimeSpan.FromMinutes(10), random: 0.5).StartAsync();
        Assert.Equal(EnginePhase.BootDelay, harness.Engine.Current.Phase);
        Assert.Equal(Now.AddMinutes(5), harness.Engine.Current.NextAttemptAt);

        await harness.AdvanceAsync(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.False(harness.BackOffice.HasStarted);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));

        ScriptedRuns.PendingRun run = await harness.BackOffice.NextAsync();
        Assert.Equal(StoreSamples.DeviceId, run.Request.ProvisionId);
    }

    [Fact]
    public async Task Run_EndingWithoutAProvisioning_IsFollowedByAnotherAfterTheRerunDelay()
    {
        await using EngineHarness harness = await new EngineHarness(Now, bootDelay: TimeSpan.Zero, rerunDelay: TimeSpan.FromMinutes(15)).StartAsync();
        (await harness.BackOffice.NextAsync()).End(new RunOutcome.GaveUp(503, "budget spent"));
        EngineState ended = await harness.UntilAsync(s => s.Change == StateChange.RunEnded);
        Assert.Equal(Now.AddMinutes(15), ended.NextAttemptAt);

        await harness.AdvanceAsync(TimeSpan.FromMinutes(15) - TimeSpan.FromSeconds(1));
        Assert.False(harness.BackOffice.HasStarted);
        await harness.AdvanceAsync(TimeSpan.FromSeconds(1));

        ScriptedRuns.PendingRun second = await harness.BackOffice.NextAsync();
        second.End(new RunOutcome.Provisioned(EngineHarness.Document(Now, Now.AddDays(365))));
        Assert.Equal(200, (await harness.UntilAsync(s => s.Change == StateChange.RunEnded)).Status);
        Assert.Equal(2, harness.BackOffice.Count);
    }

    [Fact]
    public async Task Boot_StoredProvisioningHasExpired_ProvisionsAgain()
    {
        await using var harness = new EngineHarness(Now, bootDelay: TimeSpan.Zero);
        harness.Store(EngineHarness.Document(Now.AddDays(-400), Now.AddDays(-35), "old"));
        await harness.StartAsync();

        Assert.Equal(["old"], harness.Engine.Current.Labels);
        (await harness.BackOffice.NextAsync()).End(new RunOutcome.Provisioned(EngineHarness.Document(Now, Now.AddDays(365), "new")));

        Assert.Equal(["new"], (await harness.UntilAsync(s => s.Change == StateChange.RunEnded)).Labels);
    }

    [Fact]
    public async Task Boot_ClockBeforeTheBuildDate_KeepsTheStoredProvisioningUntilTheClockIsSet()
    {
        // A box whose clock starts at 1970: its stored provisioning looks expired by decades.
        await using var harness = new EngineHarness(new DateTimeOffset(1970, 1, 1, 0, 0, 0, TimeSpan.Zero), bootDelay: TimeSpan.Zero);
        harness.Store(EngineHarness.Document(EngineHarness.BuildDate.AddDays(1), EngineHarness.BuildDate.AddDays(30)));
        await harness.StartAsync();

        await harness.AdvanceAsync(RunPlanner.ClockCheckInterval * 3);
        Assert.False(harness.BackOffice.HasStarted);
        Assert.Equal(EnginePhase.Idle, harness.Engine.Current.Phase);

        // NTP sets the clock: the provisioning is now really expired, and the next check provisions again.
        harness.Time.SetUtcNow(EngineHarness.BuildDate.AddDays(60));
        await harness.AdvanceAsync(RunPlanner.ClockCheckInterval);
        await harness.AdvanceAsync(TimeSpan.FromMinutes(15));

        Assert.NotNull(await harness.BackOffice.NextAsync());
    }

    [Fact]
    public async Task Refresh_AtTheConfiguredFractionOfTheLifetime_StartsARunByItself()
    {
        await using var harness = new EngineHarness(Now);
        harness.Store(EngineHarness.Document(Now, Now.AddDays(100)));
        await harness.StartAsync();
        Assert.Equal(Now.AddDays(80), harness.Engine.Current.NextAttemptAt);

        // Timers re-arm daily on the way: 80 days of them.
        for (int day = 0; day < 79; day++)
        {
            await harness.AdvanceAsync(TimeSpan.FromDays(1));
        }

        Assert.False(harness.BackOffice.HasStarted);
        await harness.AdvanceAsync(TimeSpan.FromDays(1));
        Assert.NotNull(await harness.BackOffice.NextAsync());
        Assert.Equal(EnginePhase.Running, harness.Engine.Current.Phase);
        Assert.Contains(harness.Logger.Collector.GetSnapshot(), r => r.Message.StartsWith("Run started by Refresh", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Provision_DuringARun_IsRefusedAndStartsNothing()
    {
        await using EngineHarness harness = await new EngineHarness(Now, bootDelay: TimeSpan.FromHours(1)).StartAsync();

        ProvisionStart first = await harness.Engine.ProvisionAsync();
        ProvisionStart second = await harness.Engine.ProvisionAsync();

        Assert.True(first.Accepted);
        Assert.Equal(EngineError.InProgress, second.Error);
        (await harness.BackOffice.NextAsync()).End(new RunOutcome.Provisioned(EngineHarness.Document(Now, null)));
        Assert.Equal(200, (await first.Completion!).Status);
        Assert.Equal(1, harness.BackOffice.Count);
    }

    [Fact]
    public async Task Run_FailedAttempts_ShowTheirStatusButAMalformed200NeverShows200()
    {
        await using EngineHarness harness = await new EngineHarness(Now, bootDelay: TimeSpan.FromHours(1)).StartAsync();
        ProvisionStart start = await harness.Engine.ProvisionAsync();
        ScriptedRuns.PendingRun run = await harness.BackOffice.NextAsync();

        run.Report(new RunProgress(RunProgressKind.AttemptFailed, 1, 503, "HTTP 503", Now.AddSeconds(2)));
        await harness.Engine.PingAsync();
        int afterFirst = harness.Engine.Current.Status;
        run.Report(new RunProgress(RunProgressKind.AttemptFailed, 2, 200, "invalid Provisioning", Now.AddSeconds(6)));
        await harness.Engine.PingAsync();
        int afterMalformed = harness.Engine.Current.Status;
        run.End(new RunOutcome.Rejected(403, "HTTP 403 blocked"));

        EngineState ended = await start.Completion!;
        Assert.Equal([503, 503, 403], [afterFirst, afterMalformed, ended.Status]);
        Assert.Equal(EnginePhase.Idle, ended.Phase);
        Assert.Empty(ended.Labels);
    }

    [Theory]
    [InlineData(202)] // a 202 without a valid operation
    [InlineData(204)]
    [InlineData(101)]
    public async Task Run_MalformedAnswersOfAnyOther1xxOr2xx_NeverShowTheirStatus(int malformed)
    {
        // docs/backoffice-protocol.md: no failure reads as a success or as "accepted"; the status stays as it was.
        await using EngineHarness harness = await new EngineHarness(Now, bootDelay: TimeSpan.FromHours(1)).StartAsync();
        ProvisionStart start = await harness.Engine.ProvisionAsync();
        ScriptedRuns.PendingRun run = await harness.BackOffice.NextAsync();

        run.Report(new RunProgress(RunProgressKind.AttemptFailed, 1, malformed, "unexpected HTTP", Now.AddSeconds(2)));
        await harness.Engine.PingAsync();
        int whileRetrying = harness.Engine.Current.Status;
        run.End(new RunOutcome.GaveUp(malformed, "the run budget is spent"));

        EngineState ended = await start.Completion!;
        Assert.Equal([0, 0], [whileRetrying, ended.Status]);
    }

    [Fact]
    public async Task Run_WhoseStateWriteFails_EndsFailedAndKeepsThePreviousProvisioning()
    {
        await using var harness = new EngineHarness(Now, bootDelay: TimeSpan.FromHours(1));
        harness.Store(EngineHarness.Document(Now.AddDays(-1), Now.AddDays(364), "old"));
        await harness.StartAsync();

        // The state directory is gone and a file stands in its place: no write can succeed, even as root.
        Directory.Delete(harness.StateDirectory, recursive: true);
        await File.WriteAllTextAsync(harness.StateDirectory, "not a directory");
        ProvisionStart start = await harness.Engine.ProvisionAsync();
        (await harness.BackOffice.NextAsync()).End(new RunOutcome.Provisioned(EngineHarness.Document(Now, Now.AddDays(365), "new")));

        EngineState ended = await start.Completion!;
        Assert.Equal(["old"], ended.Labels);
        Assert.Equal(200, ended.Status);
        Assert.StartsWith("storing the provisioning failed", ended.LastError, StringComparison.Ordinal);
        Assert.Equal(Now.AddDays(-1) + (TimeSpan.FromDays(365) * 0.8), ended.NextAttemptAt);
        Assert.Equal(EngineError.None, harness.Engine.GetKey("old").Error);
    }

    [Fact]
    public async Task Stop_DuringARun_CancelsItAndPublishesItsEnd()
    {
        var harness = new EngineHarness(Now, bootDelay: TimeSpan.FromHours(1));
        await harness.StartAsync();
        ProvisionStart start = await harness.Engine.ProvisionAsync();
        await harness.BackOffice.NextAsync();

        await harness.DisposeAsync();

        EngineState ended = await start.Completion!;
        Assert.Equal(StateChange.RunEnded, ended.Change);
        Assert.Contains("cancelled", ended.LastError, StringComparison.Ordinal);
    }
}
