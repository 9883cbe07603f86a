using Provisioning.BackOfficeSimulator;
using Provisioning.Daemon.Tests.Infrastructure;
using Provisioning.Daemon.Tests.JsonRpc;

namespace Provisioning.Daemon.Tests.ProcessLevel;

public sealed partial class DaemonLifeTests
{
    /// <summary>
    /// Issue 13 on the build that ships (and under the emulator in .ci/arm64): Thunder's native C++ client, with its
    /// exact upgrade bytes and unmasked frames, over the daemon's JSON-RPC TCP port. Root: provisioning is root-only
    /// by default, and the caller is found as on a device, from /proc/net/tcp.
    /// </summary>
    [RootFact]
    public async Task ThunderNativeClient_OverTheJsonRpcPort_GetsEveryAnswerAndTheEventAsFromThunder()
    {
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions());

        // The later Boot:MaxDelay wins: a day, so that the first run is the one the client asks for.
        await using var daemon = DaemonProcess.Start([.. Arguments(simulator), "--Boot:MaxDelay=1.00:00:00"]);
        await daemon.WaitForLineAsync(line => line.Contains("Application started", StringComparison.Ordinal));
        Uri bridge = await BridgeAddressAsync(daemon);
        await using ThunderNativeClient client = await ThunderNativeClient.ConnectAsync(bridge);
        const string P = "Provisioning.1.";

        Assert.Contains("\r\nSec-WebSocket-Protocol: JSON\r\n", client.HandshakeResponse, StringComparison.Ordinal);
        Assert.Equal($$"""{"jsonrpc":"2.0","id":1,"result":"{{_deviceId}}"}""", await client.InvokeAsync(P + "id"));
        Assert.Equal($$$"""{"jsonrpc":"2.0","id":2,"result":{"id":"{{{_deviceId}}}","status":0,"tokens":[]}}""", await client.InvokeAsync(P + "state"));
        Assert.Equal("""{"jsonrpc":"2.0","id":3,"result":0}""", await client.SubscribeAsync(P, "provisioningchange"));
        Assert.Equal("""{"jsonrpc":"2.0","id":4,"result":null}""", await client.InvokeAsync(P + "provision"));
        Assert.Equal(
            """{"jsonrpc":"2.0","method":"temporary1.provisioningchange","params":{"status":200}}""",
            await client.NextEventAsync(timeout: DaemonUnderTest.Patience));

        string tokens = string.Join(",", SimulatorSettings.StandardLabels.Order(StringComparer.Ordinal).Select(label => $"\"{label}\""));
        Assert.Equal(
            $$$"""{"jsonrpc":"2.0","id":5,"result":{"id":"{{{_deviceId}}}","status":200,"tokens":[{{{tokens}}}]}}""",
            await client.InvokeAsync(P + "state"));
        Assert.Equal("""{"jsonrpc":"2.0","id":6,"error":{"code":-32601,"message":"Unknown method."}}""", await client.InvokeAsync(P + "nope"));

        (WebSocketFrame? close, bool ended) = await client.CloseAsync();
        Assert.Equal(WebSocketFrame.Close, close?.Opcode);
        Assert.True(ended, "the bridge kept the connection open after the close handshake");
        await daemon.SignalAsync("TERM");
        Assert.Equal(0, await daemon.WaitForExitAsync());
    }
}
