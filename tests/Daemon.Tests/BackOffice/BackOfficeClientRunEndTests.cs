using Provisioning.Daemon.BackOffice;
using static Provisioning.Daemon.Tests.BackOffice.ScriptedBackOffice;

namespace Provisioning.Daemon.Tests.BackOffice;

public sealed class BackOfficeClientRunEndTests
{
    [Fact]
    public async Task RunAsync_BudgetSpentOnTransientFailures_GivesUpWithTheLastStatus()
    {
        using var harness = new ClientHarness(o => o.RunBudget = TimeSpan.FromSeconds(60));
        harness.BackOffice.Then(5, Status(503)).Then(Reset()).Then(Status(429));
        harness.BackOffice.Otherwise = Ok(ProvisioningJson.Valid());

        var outcome = Assert.IsType<RunOutcome.GaveUp>(await harness.RunAsync());

        // Waits of 0.75, 1.5, 3, 6, 12 and 24 s put the 7th request at 47.25 s; the 8th would be at 95.25 s.
        Assert.Equal(7, harness.BackOffice.Requests.Count);
        Assert.Equal(429, outcome.Status);
        Assert.Contains("BackOffice:RunBudget", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_OnlyNetworkFailures_GivesUpWithStatusZero()
    {
        using var harness = new ClientHarness(o => o.RunBudget = TimeSpan.FromSeconds(10));
        harness.BackOffice.Otherwise = Reset();

        var outcome = Assert.IsType<RunOutcome.GaveUp>(await harness.RunAsync());

        Assert.Equal(0, outcome.Status);
        Assert.Contains("Connection reset", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CancelledWhileWaiting_GivesUpWithoutThrowing()
    {
        using var harness = new ClientHarness();
        harness.BackOffice.Then(Status(503));
        using var cancel = new CancellationTokenSource();

        RunOutcome outcome = await harness.Client.RunAsync(
            new ProvisionRequest(ProvisioningJson.DeviceId, Guid.NewGuid()),
            p =>
            {
                if (p.Kind == RunProgressKind.AttemptFailed)
                {
                    cancel.Cancel();
                }
            },
            cancel.Token);

        var gaveUp = Assert.IsType<RunOutcome.GaveUp>(outcome);
        Assert.Equal(503, gaveUp.Status);
        Assert.Contains("cancelled", gaveUp.Reason, StringComparison.Ordinal);
        Assert.Single(harness.BackOffice.Requests);
    }

    [Fact]
    public async Task RunAsync_ClientDisposedWhileARequestIsInFlight_GivesUpAsStopping()
    {
        // The container disposes the client at shutdown; a run still going (a start that failed after the engine
        // started) ends for that reason, not as a spent budget or an unexpected error.
        using var harness = new ClientHarness();
        harness.BackOffice.Then(harness.BackOffice.Hang());
        Task<RunOutcome> run = harness.Client.RunAsync(new ProvisionRequest(ProvisioningJson.DeviceId, Guid.NewGuid()), _ => { }, CancellationToken.None);
        await harness.BackOffice.Hangs.Reader.ReadAsync(TestContext.Current.CancellationToken);

        harness.Client.Dispose();

        var gaveUp = Assert.IsType<RunOutcome.GaveUp>(await run.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken));
        Assert.StartsWith("the daemon is stopping", gaveUp.Reason, StringComparison.Ordinal);
        Assert.Single(harness.BackOffice.Requests);
    }

    [Fact]
    public async Task RunAsync_AfterDispose_GivesUpWithoutSending()
    {
        using var harness = new ClientHarness();
        harness.BackOffice.Otherwise = Ok(ProvisioningJson.Valid());
        harness.Client.Dispose();

        var gaveUp = Assert.IsType<RunOutcome.GaveUp>(await harness.RunAsync());

        Assert.Equal("the daemon is stopping", gaveUp.Reason);
        Assert.Empty(harness.BackOffice.Requests);
    }

    [Fact]
    public async Task RunAsync_NoUrl_GivesUpWithoutSending()
    {
        using var harness = new ClientHarness(o => o.Url = null);

        var outcome = Assert.IsType<RunOutcome.GaveUp>(await harness.RunAsync());

        Assert.Equal(0, outcome.Status);
        Assert.Empty(harness.BackOffice.Requests);
    }

    [Fact]
    public async Task RunAsync_TokenFileGone_GivesUpWithoutSending()
    {
        using var harness = new ClientHarness(o => o.TokenFile = Path.Combine(Path.GetTempPath(), "provisioningd-tests", Guid.NewGuid().ToString("N")));

        var outcome = Assert.IsType<RunOutcome.GaveUp>(await harness.RunAsync());

        Assert.Contains("BackOffice:TokenFile", outcome.Reason, StringComparison.Ordinal);
        Assert.Empty(harness.BackOffice.Requests);
    }
}
