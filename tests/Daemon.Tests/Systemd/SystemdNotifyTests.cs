using Provisioning.BackOfficeSimulator;
using Provisioning.Daemon.Identity;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Systemd;

/// <summary>
/// The built daemon under a stand-in for systemd that records every notification in order: whether WATCHDOG=1 is
/// sent, and at which interval the daemon says it sends it, which the real systemd (RealSystemd/) does not show.
/// READY=1, STATUS= and STOPPING= are tested there. The pace itself (one ping per interval) is asserted on a fake
/// clock, by SystemdWatchdogTests.Run_EngineAnswers_OnePingPerInterval: a real process's gaps measure the machine.
/// </summary>
public sealed class SystemdNotifyTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _deviceId = ProvisionId.Derive(Guid.NewGuid().ToString());

    private string SocketPath => _temp.Combine("p.sock");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Watchdog_WithWatchdogUsec_IsEnabledAtHalfOfItAndSentOnAfterReady()
    {
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions());
        await using FakeSystemd systemd = FakeSystemd.Start(_temp, Arguments(simulator), Watchdog(TimeSpan.FromSeconds(2)));

        await systemd.WaitForLineAsync(line => line.Contains("watchdog enabled", StringComparison.Ordinal) && line.Contains("00:00:01", StringComparison.Ordinal));

        // Not only a ping or two while starting: the pings go on once the daemon is ready, as systemd expects them
        // (the wait fails the test when they do not come).
        await systemd.WaitForMessageAsync(_ => WatchdogsAfterReady(systemd) >= 3);
    }

    [Fact]
    public async Task Watchdog_WithoutWatchdogUsec_IsNeverSent()
    {
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions());
        await using FakeSystemd systemd = FakeSystemd.Start(_temp, Arguments(simulator));
        await systemd.WaitForMessageAsync(m => m.Value("STATUS") == "provisioned, 3 labels");

        await Shell.RunCheckedAsync("kill", "-TERM", (await systemd.MainPidAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await systemd.WaitForExitAsync();

        Assert.DoesNotContain(systemd.Messages, m => m.Is("WATCHDOG=1"));
    }

    private static Dictionary<string, string> Watchdog(TimeSpan timeout) => new(StringComparer.Ordinal)
    {
        ["WATCHDOG_USEC"] = ((long)timeout.TotalMicroseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    private static int WatchdogsAfterReady(FakeSystemd systemd) =>
        systemd.Messages.SkipWhile(m => !m.Is("READY=1")).Count(m => m.Is("WATCHDOG=1"));

    private string[] Arguments(SimulatorServer? simulator, string bootDelay = "00:00:00") =>
    [
        .. simulator is null ? Array.Empty<string>() : [$"--BackOffice:Url={simulator.BaseAddress}"],
        $"--Device:Id={_deviceId}",
        $"--State:Directory={_temp.Combine("state")}",
        $"--Grpc:SocketPath={SocketPath}",
        "--JsonRpc:Url=http://127.0.0.1:0",
        $"--Boot:MaxDelay={bootDelay}",
    ];
}
