using Provisioning.BackOfficeSimulator;
using Provisioning.Client;
using Provisioning.Daemon.Identity;
using Provisioning.Daemon.Tests.Infrastructure;
using Provisioning.Daemon.Tests.Systemd;

namespace Provisioning.Daemon.Tests.Deploy;

/// <summary>The daemon under systemd-socket-activate, as provisioningd.socket starts it: it serves the passed socket.</summary>
public sealed class SocketActivationTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task SocketActivated_ServesTheApiOnThePassedSocketNotOnGrpcSocketPath()
    {
        string activated = _temp.Combine("activated.sock");
        string configured = _temp.Combine("configured.sock");
        string deviceId = ProvisionId.Derive(Guid.NewGuid().ToString());
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions());
        await using FakeSystemd daemon = FakeSystemd.Start(
            _temp,
            [$"--BackOffice:Url={simulator.BaseAddress}", $"--Device:Id={deviceId}", $"--State:Directory={_temp.Combine("state")}",
            $"--Grpc:SocketPath={configured}", "--JsonRpc:Url=http://127.0.0.1:0", "--Boot:MaxDelay=00:00:00"],
            wrapper: ["systemd-socket-activate", "--listen=" + activated]);
        await daemon.WaitForLineAsync(line => line.Contains("Listening on", StringComparison.Ordinal) && line.Contains(activated, StringComparison.Ordinal));

        // systemd-socket-activate starts the daemon on the first connection; the client's call is that connection.
        using var client = new ProvisioningClient(new ProvisioningClientOptions { SocketPath = activated });
        var state = await client.GetStateAsync().WaitAsync(DaemonUnderTest.Patience);

        Assert.Equal(deviceId, state.Id);
        await daemon.WaitForLineAsync(line => line.Contains("1 socket(s) passed by systemd socket activation", StringComparison.Ordinal));
        Assert.False(File.Exists(configured));
    }
}
