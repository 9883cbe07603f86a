using Provisioning.Bench.Fleet;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Fleet;

/// <summary>
/// bench/fleet at 200 devices, in virtual time: the daemon's real engines and back-office clients (today's
/// defaults) against a back office of limited capacity. Only what does not depend on the wall clock is
/// asserted; the 10,000-device figures are in bench/README.md.
/// </summary>
public sealed class FleetTests
{
    private const int Devices = 200;

    // 1.2 × 200 devices / the default 2-minute boot window: the back office serves 2 requests a second.
    private const int Capacity = 2;

    public static TheoryData<string> Scenarios => ["boot", "outage", "outage-503"];

    [Theory]
    [MemberData(nameof(Scenarios))]
    public async Task Fleet_WithTheDefaults_IsProvisionedWithoutHammeringTheBackOffice(string name)
    {
        FleetScenario scenario = FleetCatalog.Scenarios(Devices, Capacity).Single(s => s.Name.Split(' ')[0] == name);
        FleetStrategy defaults = FleetStrategy.Defaults();
        using var temp = new TempDirectory();

        FleetResult result = await FleetRun.RunAsync(scenario, defaults, temp.Path, cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(Devices, result.Provisioned);
        Assert.Equal(0, result.EarlyAttempts);

        // No device sends again sooner than its shortest possible back-off (half the base delay, equal jitter).
        Assert.True(result.ShortestGap >= defaults.BaseDelay / 2, $"a device sent twice within {result.ShortestGap}");

        // While the back office serves: boots are independent and uniform over Boot:MaxDelay, so the requests
        // of one second are about Poisson(N / window); five standard deviations above that is hammering, not
        // chance. (During an outage the back-off ramp of every device overlaps: bench/README.md, "Fleet".)
        double perSecond = Devices / defaults.BootWindow.TotalSeconds;
        double bound = perSecond + (5 * Math.Sqrt(perSecond)) + 2;
        Assert.True(result.PeakPerSecondWhileUp <= bound, $"peak {result.PeakPerSecondWhileUp} requests/s, bound {bound:0.0}");
    }
}
