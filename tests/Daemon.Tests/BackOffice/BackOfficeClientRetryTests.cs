using Provisioning.Daemon.BackOffice;
using static Provisioning.Daemon.Tests.BackOffice.ScriptedBackOffice;

namespace Provisioning.Daemon.Tests.BackOffice;

public sealed class BackOfficeClientRetryTests
{
    [Fact]
    public async Task RunAsync_TransientFailures_BackOffGrowsIsJitteredAndCapped()
    {
        double[] randoms = [0.0, 0.5, 0.99, 0.25, 0.0, 0.5];
        int next = 0;
        using var harness = new ClientHarness(
            o => o.Retry = new BackOfficeRetryOptions { BaseDelay = TimeSpan.FromSeconds(1), MaxDelay = TimeSpan.FromSeconds(8) },
            random: () => randoms[next++]);
        harness.BackOffice.Then(Status(503)).Then(Reset()).Then(Status(500)).Then(Status(502)).Then(Status(504)).Then(Status(408))
            .Then(Ok(ProvisioningJson.Valid()));

        RunOutcome outcome = await harness.RunAsync();

        Assert.IsType<RunOutcome.Provisioned>(outcome);

        // Nominal 1, 2, 4, 8, then the 8 s cap; of each a random half is kept: nominal * (0.5 + 0.5 * random).
        Assert.Equal([0.5, 1.5, 3.98, 5.0, 4.0, 6.0], harness.Gaps().Select(g => g.TotalSeconds));
    }

    [Fact]
    public async Task RunAsync_ProductionJitter_SpreadsDelaysWithinTheBackoffBounds()
    {
        using var harness = new ClientHarness(
            o => o.Retry = new BackOfficeRetryOptions { BaseDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromSeconds(40) },
            random: Random.Shared.NextDouble);
        harness.BackOffice.Then(8, Status(503)).Then(Ok(ProvisioningJson.Valid()));

        await harness.RunAsync();

        TimeSpan[] gaps = harness.Gaps();
        double[] nominal = [10, 20, 40, 40, 40, 40, 40, 40];
        double[] fractions = [.. gaps.Select((g, i) => g.TotalSeconds / nominal[i])];
        Assert.All(fractions, f => Assert.InRange(f, 0.5, 1.0));
        Assert.True(fractions.Distinct().Count() > 1, "every delay was the same share of its nominal value: no jitter");
    }

    [Fact]
    public async Task RunAsync_ProgressOfAFailure_AnnouncesTheTimeOfTheNextAttempt()
    {
        using var harness = new ClientHarness();
        harness.BackOffice.Then(Status(503)).Then(Reset()).Then(Ok(ProvisioningJson.Valid()));

        await harness.RunAsync();

        RunProgress[] failures = [.. harness.Progress.Where(p => p.Kind == RunProgressKind.AttemptFailed)];
        Assert.Equal([503, 0], failures.Select(f => f.Status));
        Assert.Equal([1, 2], failures.Select(f => f.Attempt));
        Assert.Equal(harness.BackOffice.Requests.Skip(1).Select(r => r.At), failures.Select(f => f.NextAttemptAt));
        Assert.Equal([1, 2, 3], harness.Progress.Where(p => p.Kind == RunProgressKind.AttemptStarted).Select(p => p.Attempt));
    }

    [Fact]
    public async Task RunAsync_RetryAfterAsFloorSeconds_WaitsAtLeastThat()
    {
        using var harness = new ClientHarness(o => o.Retry.RetryAfter = RetryAfterUse.Floor);
        harness.BackOffice.Then(Status(503, retryAfter: "30")).Then(Ok(ProvisioningJson.Valid()));

        await harness.RunAsync();

        Assert.Equal([TimeSpan.FromSeconds(30) + RetryDelays.TimerSlack], harness.Gaps());
    }

    [Fact]
    public async Task RunAsync_RetryAfterAsFloorHttpDate_WaitsUntilThatDate()
    {
        using var harness = new ClientHarness(o => o.Retry.RetryAfter = RetryAfterUse.Floor);
        string date = (ClientHarness.Start + TimeSpan.FromSeconds(45)).ToString("R");
        harness.BackOffice.Then(Status(429, retryAfter: date)).Then(Ok(ProvisioningJson.Valid()));

        await harness.RunAsync();

        Assert.Equal(ClientHarness.Start + TimeSpan.FromSeconds(45) + RetryDelays.TimerSlack, harness.BackOffice.Requests[1].At);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("0")]
    [InlineData("Wed, 25 Nov 2026 23:00:00 GMT")]
    public async Task RunAsync_RetryAfterAsFloorShorterThanBackoff_NeverUndercutsTheBackoff(string retryAfter)
    {
        using var harness = new ClientHarness(
            o =>
            {
                o.Retry.BaseDelay = TimeSpan.FromSeconds(10);
                o.Retry.RetryAfter = RetryAfterUse.Floor;
            },
            random: () => 0.5);
        harness.BackOffice.Then(Status(503, retryAfter)).Then(Ok(ProvisioningJson.Valid()));

        await harness.RunAsync();

        Assert.Equal([TimeSpan.FromSeconds(7.5)], harness.Gaps());
    }

    [Fact]
    public async Task RunAsync_RetryAfterUsedExactly_WaitsItPlusJitterWhateverTheBackoffHasGrownTo()
    {
        double[] randoms = [0.5, 0.5, 0.5, 0.25];
        int next = 0;
        using var harness = new ClientHarness(
            o => o.Retry = new BackOfficeRetryOptions { BaseDelay = TimeSpan.FromSeconds(10), MaxDelay = TimeSpan.FromMinutes(5), RetryAfter = RetryAfterUse.Exact },
            random: () => randoms[next++]);
        harness.BackOffice.Then(Status(503)).Then(Status(503)).Then(Status(429, retryAfter: "3")).Then(Ok(ProvisioningJson.Valid()));

        await harness.RunAsync();

        // Back-off 7.5 s and 15 s; then the Retry-After of 3 s plus a quarter of BaseDelay, not the 30 s the back-off had reached.
        Assert.Equal([7.5, 15, 5.5], harness.Gaps().Select(g => g.TotalSeconds));
    }

    [Theory]
    [InlineData("3600")]
    [InlineData("Sat, 26 Dec 2026 00:00:00 GMT")]
    [InlineData("2147483648")] // past what .NET parses as delta-seconds: 2^31 s (RFC 9111), never "no header"
    [InlineData("99999999999999999999")]
    public async Task RunAsync_RetryAfterBeyondMaxDelay_IsCappedAtMaxDelay(string retryAfter)
    {
        using var harness = new ClientHarness(o => o.Retry.MaxDelay = TimeSpan.FromSeconds(90));
        harness.BackOffice.Then(Status(503, retryAfter)).Then(Ok(ProvisioningJson.Valid()));

        await harness.RunAsync();

        Assert.Equal([TimeSpan.FromSeconds(90)], harness.Gaps());
    }

    [Theory]
    [InlineData(408)]
    [InlineData(425)]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(501)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(599)]
    public async Task RunAsync_TransientStatus_IsRetried(int status)
    {
        using var harness = new ClientHarness();
        harness.BackOffice.Then(Status(status)).Then(Ok(ProvisioningJson.Valid()));

        RunOutcome outcome = await harness.RunAsync();

        Assert.IsType<RunOutcome.Provisioned>(outcome);
        Assert.Equal(2, harness.BackOffice.Requests.Count);
        Assert.Equal(status, Assert.Single(harness.Progress, p => p.Kind == RunProgressKind.AttemptFailed).Status);
    }

    [Fact]
    public async Task RunAsync_AttemptWithoutAnswer_TimesOutAndIsRetried()
    {
        using var harness = new ClientHarness(o => o.AttemptTimeout = TimeSpan.FromSeconds(20));
        harness.BackOffice.Then(harness.BackOffice.Hang()).Then(Ok(ProvisioningJson.Valid()));

        RunOutcome outcome = await harness.RunAsync();

        Assert.IsType<RunOutcome.Provisioned>(outcome);
        RunProgress failure = Assert.Single(harness.Progress, p => p.Kind == RunProgressKind.AttemptFailed);
        Assert.Equal(0, failure.Status);
        Assert.Contains("AttemptTimeout", failure.Reason, StringComparison.Ordinal);
        Assert.Equal(ClientHarness.Start + TimeSpan.FromSeconds(20), failure.NextAttemptAt - TimeSpan.FromSeconds(0.75));
    }
}
