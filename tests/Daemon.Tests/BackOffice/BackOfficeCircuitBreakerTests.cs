using Provisioning.Daemon.BackOffice;
using static Provisioning.Daemon.Tests.BackOffice.ScriptedBackOffice;

namespace Provisioning.Daemon.Tests.BackOffice;

public sealed class BackOfficeCircuitBreakerTests
{
    private static void Breaker(BackOfficeOptions o)
    {
        o.Retry = new BackOfficeRetryOptions { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromMinutes(2) };
        o.CircuitBreaker = new BackOfficeCircuitBreakerOptions
        {
            FailureRatio = 1.0,
            MinimumThroughput = 3,
            SamplingDuration = TimeSpan.FromMinutes(10),
            BreakDuration = TimeSpan.FromSeconds(60),
        };
    }

    [Fact]
    public async Task RunAsync_RepeatedFailures_OpenTheCircuitThenHalfOpenLetsOneProbeThrough()
    {
        using var harness = new ClientHarness(Breaker);
        harness.BackOffice.Then(3, Status(503)).Then(Status(503)).Then(Ok(ProvisioningJson.Valid()));

        Assert.IsType<RunOutcome.Provisioned>(await harness.RunAsync());

        // Opened by the 3rd failure at 2.25 s: nothing is sent for the 60 s break, then one probe (half-open).
        // The probe fails, so the circuit opens again until 122.25 s; the attempt refused at 74.25 s waits
        // what is left of the break (48 s, longer than its back-off of 24 s), and that probe closes the circuit.
        Assert.Equal(
            [0, 0.75, 2.25, 62.25, 122.25],
            harness.BackOffice.Requests.Select(r => (r.At - ClientHarness.Start).TotalSeconds));
        RunProgress[] refused = [.. harness.Progress.Where(p => p.Reason.Contains("circuit", StringComparison.Ordinal))];
        Assert.Equal(2, refused.Length);
        Assert.All(refused, p => Assert.Equal(0, p.Status));
        Assert.Equal(ClientHarness.Start + TimeSpan.FromSeconds(62.25), refused[0].NextAttemptAt);
    }

    [Fact]
    public async Task RunAsync_BreakLongerThanMaxDelay_WaitsTheBreakInsteadOfKnockingOnTheOpenCircuit()
    {
        using var harness = new ClientHarness(o =>
        {
            Breaker(o);
            o.Retry.MaxDelay = TimeSpan.FromSeconds(5);
        });
        harness.BackOffice.Then(3, Status(503)).Then(Ok(ProvisioningJson.Valid()));

        Assert.IsType<RunOutcome.Provisioned>(await harness.RunAsync());

        Assert.Equal([0, 0.75, 2.25, 62.25], harness.BackOffice.Requests.Select(r => (r.At - ClientHarness.Start).TotalSeconds));
        Assert.Single(harness.Progress, p => p.Reason.Contains("circuit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RunAsync_CircuitOpenedByAnEarlierRun_RefusesTheNextRunWithoutSending()
    {
        using var harness = new ClientHarness(o =>
        {
            Breaker(o);
            o.RunBudget = TimeSpan.FromSeconds(10);
        });
        harness.BackOffice.Otherwise = Status(503);

        var first = Assert.IsType<RunOutcome.GaveUp>(await harness.RunAsync());
        int sent = harness.BackOffice.Requests.Count;
        int progressBefore = harness.Progress.Count;
        var second = Assert.IsType<RunOutcome.GaveUp>(await harness.RunAsync());

        Assert.Equal(503, first.Status);
        Assert.Equal(3, sent);
        Assert.Equal(sent, harness.BackOffice.Requests.Count);
        Assert.Equal(0, second.Status);
        RunProgress firstOfSecondRun = harness.Progress[progressBefore];
        Assert.Equal(RunProgressKind.AttemptFailed, firstOfSecondRun.Kind);
        Assert.Contains("circuit", firstOfSecondRun.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_PermanentAnswers_DoNotOpenTheCircuit()
    {
        using var harness = new ClientHarness(Breaker);
        for (int i = 0; i < 5; i++)
        {
            harness.BackOffice.Then(Status(409));
            Assert.IsType<RunOutcome.Rejected>(await harness.RunAsync());
        }

        harness.BackOffice.Then(Ok(ProvisioningJson.Valid()));
        Assert.IsType<RunOutcome.Provisioned>(await harness.RunAsync());
        Assert.Equal(6, harness.BackOffice.Requests.Count);
    }
}
