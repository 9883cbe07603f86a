using Provisioning.BackOfficeSimulator;
using Provisioning.Daemon.JsonRpc;
using Provisioning.Daemon.Tests.Deploy;
using Provisioning.Daemon.Tests.Infrastructure;
using Provisioning.Daemon.Tests.JsonRpc;

namespace Provisioning.Daemon.Tests.ProcessLevel;

public sealed partial class DaemonLifeTests
{
    /// <summary>
    /// Any local program may open the bridge's connections: at its default limits (every connection a WebSocket,
    /// every registration with an id of the longest form) the daemon stays inside the unit's GC heap limit, refuses
    /// what is over them, and still delivers an event to every registration. With the limits of before (4,096
    /// connections) this many WebSockets made the daemon reach the heap limit and abort.
    /// </summary>
    [RootFact]
    public async Task UnderTheUnitsEnvironment_TheBridgeFullToItsDefaultLimits_StaysUpAndNotifiesEveryRegistration()
    {
        var limits = new JsonRpcOptions();
        int registrationsEach = limits.MaxRegistrations / limits.MaxConnections;
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions());
        await using var daemon = DaemonProcess.Start(Arguments(simulator), DeployFiles.ServiceEnvironment());
        await daemon.WaitForLineAsync(line => line.Contains("RunEnded", StringComparison.Ordinal) && line.Contains("status 200", StringComparison.Ordinal));
        string listening = await daemon.WaitForLineAsync(line => JsonRpcListening().IsMatch(line));
        var bridge = new Uri($"http://{JsonRpcListening().Match(listening).Groups[1].Value}/");
        const string P = "Provisioning.1.";

        var clients = new List<ThunderNativeClient>();
        try
        {
            for (int c = 0; c < limits.MaxConnections; c++)
            {
                ThunderNativeClient client = await ThunderNativeClient.ConnectAsync(bridge);
                clients.Add(client);
                for (int r = 0; r < registrationsEach; r++)
                {
                    Assert.EndsWith("\"result\":0}", await client.InvokeAsync(P + "register", Registration(LongestId(c, r))), StringComparison.Ordinal);
                }
            }

            // Over the limits: one more registration, one more connection.
            Assert.Contains("JsonRpc:MaxRegistrations.", await clients[0].InvokeAsync(P + "register", Registration(LongestId(0, registrationsEach))), StringComparison.Ordinal);
            await Assert.ThrowsAnyAsync<Exception>(() => ThunderNativeClient.ConnectAsync(bridge));
            Assert.Contains("-32602", await clients[0].InvokeAsync(P + "register", Registration(new string('i', JsonRpcDispatcher.MaxEventIdLength + 1))), StringComparison.Ordinal);

            // A run's end reaches every registration of every connection.
            Assert.EndsWith("\"result\":null}", await clients[0].InvokeAsync(P + "provision"), StringComparison.Ordinal);
            for (int c = 0; c < clients.Count; c++)
            {
                for (int r = 0; r < registrationsEach; r++)
                {
                    Assert.EndsWith(
                        """.provisioningchange","params":{"status":200}}""",
                        await clients[c].NextEventAsync(LongestId(c, r), DaemonUnderTest.Patience),
                        StringComparison.Ordinal);
                }
            }
        }
        finally
        {
            foreach (ThunderNativeClient client in clients)
            {
                await client.DisposeAsync();
            }
        }

        await daemon.SignalAsync("TERM");
        Assert.Equal(0, await daemon.WaitForExitAsync());
    }

    private static string Registration(string id) => $$"""{ "event": "provisioningchange", "id": "{{id}}"}""";

    /// <summary>An id of the longest form the bridge accepts, unique per connection and registration.</summary>
    private static string LongestId(int connection, int registration = 0) =>
        $"c{connection}r{registration}.".PadRight(JsonRpcDispatcher.MaxEventIdLength, 'x');
}
