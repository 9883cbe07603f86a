using Provisioning.BackOfficeSimulator;
using Provisioning.Daemon.Identity;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Systemd;

/// <summary>
/// The built daemon under a stand-in for systemd that records every notification with its time: the pace of
/// WATCHDOG=1, which the real systemd (RealSystemd/) does not show. READY=1, STATUS= and STOPPING= are tested there.
/// </summary>
public sealed class SystemdNotifyTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _deviceId = ProvisionId.Derive(Guid.NewGuid().ToString());

    private string SocketPath => _temp.Combine("p.sock");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Watchdog_IsSentAtAboutHalfOfWatchdogUsec()
    {
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions());
        await using FakeSystemd systemd = FakeSystemd.Start(_temp, Arguments(simulator), Watchdog(TimeSpan.FromSeconds(2)));

        await systemd.WaitForLineAsync(line => line.Contains("watchdog enabled", StringComparison.Ordinal) && line.Contains("00:00:01", StringComparison.Ordinal));
        await WaitForWatchdogCountAsync(systemd, 6);

        double[] gaps = Gaps(systemd.Messages.Where(m => m.Is("WATCHDOG=1")).Select(m => m.ReceivedAt));
        double median = gaps.Order().ElementAt(gaps.Length / 2);
        // Neither a flood nor slower than the timeout that would make systemd kill the daemon.
        Assert.InRange(median, 0.7, 2.0);
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

    private static int CountWatchdogs(FakeSystemd systemd) => systemd.Messages.Count(m => m.Is("WATCHDOG=1"));

    private static Task WaitForWatchdogCountAsync(FakeSystemd systemd, int count) =>
        systemd.WaitForMessageAsync(_ => CountWatchdogs(systemd) >= count);

    private static double[] Gaps(IEnumerable<TimeSpan> times)
    {
        TimeSpan[] ordered = [.. times];
        return [.. ordered.Zip(ordered.Skip(1), (a, b) => (b - a).TotalSeconds)];
    }

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
