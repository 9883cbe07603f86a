using Provisioning.BackOfficeSimulator;
using Provisioning.Client;
using Provisioning.Daemon.Identity;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Systemd;

/// <summary>The built daemon under a fake systemd: what `systemctl status`, Type=notify and WatchdogSec= see.</summary>
public sealed class SystemdNotifyTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly string _deviceId = ProvisionId.Derive(Guid.NewGuid().ToString());

    private string SocketPath => _temp.Combine("p.sock");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Ready_ArrivesOnlyAfterTheStateIsRestoredAndTheGrpcSocketAnswers()
    {
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions());
        await using FakeSystemd systemd = FakeSystemd.Start(_temp, Arguments(simulator));

        await systemd.WaitForMessageAsync(m => m.Is("READY=1"));

        // The first thing a unit ordered After= this one does: connect and call. No retry may be needed.
        using (var raw = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
        {
            raw.Connect(new System.Net.Sockets.UnixDomainSocketEndPoint(SocketPath));
        }

        using var client = new ProvisioningClient(new ProvisioningClientOptions { SocketPath = SocketPath });
        var state = await client.GetStateAsync().WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(_deviceId, state.Id);
        Assert.Contains(systemd.Lines, line => line.Contains("Restored", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stopping_OnSigterm_IsSentAndTheDaemonExitsZero()
    {
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions());
        await using FakeSystemd systemd = FakeSystemd.Start(_temp, Arguments(simulator));
        await systemd.WaitForMessageAsync(m => m.Is("READY=1"));

        await Shell.RunCheckedAsync("kill", "-TERM", (await systemd.MainPidAsync()).ToString(System.Globalization.CultureInfo.InvariantCulture));

        await systemd.WaitForMessageAsync(m => m.Is("STOPPING=1"));
        Assert.Equal(0, await systemd.WaitForExitAsync());
        Assert.Equal("stopping", systemd.Messages.Last(m => m.Value("STATUS") is not null).Value("STATUS"));
    }

    [Fact]
    public async Task Status_FollowsThePhase_RetryingAfter503ThenProvisioned()
    {
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions { Faults = [FaultSpec.Answer(503, retryAfter: 2)] });
        await using FakeSystemd systemd = FakeSystemd.Start(_temp, Arguments(simulator));

        NotifyMessage retrying = await systemd.WaitForMessageAsync(m => m.Value("STATUS")?.Contains("retrying in", StringComparison.Ordinal) == true);
        NotifyMessage provisioned = await systemd.WaitForMessageAsync(m => m.Value("STATUS") == "provisioned, 3 labels");

        Assert.Matches(@"^not provisioned; retrying in \d+ s after 503$", retrying.Value("STATUS"));
        Assert.True(provisioned.ReceivedAt >= retrying.ReceivedAt);
        Assert.Contains(systemd.Messages, m => m.Value("STATUS")?.Contains("provisioning, attempt 2", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Status_WithoutBackOffice_SaysWhyItIsUnavailable()
    {
        await using FakeSystemd systemd = FakeSystemd.Start(_temp, Arguments(simulator: null));

        NotifyMessage status = await systemd.WaitForMessageAsync(m => m.Value("STATUS") is not null);

        Assert.Equal("unavailable: BackOffice:Url is not configured", status.Value("STATUS"));
        await systemd.WaitForMessageAsync(m => m.Is("READY=1"));
    }

    [Fact]
    public async Task Status_DuringBootDelay_SaysSoWithTheTimeLeft()
    {
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions());
        await using FakeSystemd systemd = FakeSystemd.Start(_temp, Arguments(simulator, bootDelay: "1.00:00:00"));

        NotifyMessage status = await systemd.WaitForMessageAsync(m => m.Value("STATUS") is not null);

        Assert.Matches(@"^not provisioned; waiting for boot delay, first run in \d+ s$", status.Value("STATUS"));
    }

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
