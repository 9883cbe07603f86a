using Provisioning.BackOfficeSimulator;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Deploy;

/// <summary>The example /etc/provisioning/provisioningd.json is one the daemon accepts.</summary>
public sealed class ExampleConfigurationTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task ExampleConfiguration_WithLocalPaths_StartsAndStopsCleanly()
    {
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions());
        // Only the machine-specific values are overridden; every other key comes from the example file.
        await using var daemon = DaemonProcess.Start([
            "--config", DeployFiles.Systemd("provisioningd.json"),
            $"--BackOffice:Url={simulator.BaseAddress}",
            "--Device:Id=WPE00000uCfrLF45",
            $"--State:Directory={_temp.Combine("state")}",
            $"--Grpc:SocketPath={_temp.Combine("p.sock")}",
            "--JsonRpc:Url=http://127.0.0.1:0"]);

        await daemon.WaitForLineAsync(line => line.Contains("Application started", StringComparison.Ordinal));
        await daemon.SignalAsync("TERM");

        Assert.Equal(0, await daemon.WaitForExitAsync());
        Assert.Contains(daemon.Lines, line => line.Contains("Restored", StringComparison.Ordinal) && line.Contains("BootDelay", StringComparison.Ordinal));
    }
}
