using Microsoft.Extensions.DependencyInjection;
using Provisioning.BackOfficeSimulator;
using Provisioning.Daemon.Engine;
using Provisioning.Daemon.JsonRpc;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>
/// Issue 13: Thunder's native C++ client (JSONRPC::LinkType, R4.4) gets every answer and the event over a real
/// socket, speaking exactly as it does (see <see cref="ThunderNativeClient"/>).
/// </summary>
public sealed class NativeClientTests
{
    [Fact]
    public async Task UpgradeBytesOfTheNativeClient_101_SubprotocolEchoedAsSpelled()
    {
        await using BridgeHost host = await BridgeHost.StartAsync();
        await using ThunderNativeClient client = await ThunderNativeClient.ConnectAsync(host.BaseAddress);

        Assert.StartsWith("HTTP/1.1 101 Switching Protocols\r\n", client.HandshakeResponse, StringComparison.Ordinal);
        Assert.Contains("\r\nSec-WebSocket-Protocol: JSON\r\n", client.HandshakeResponse, StringComparison.Ordinal);
        Assert.Contains("\r\nUpgrade: websocket\r\n", client.HandshakeResponse, StringComparison.OrdinalIgnoreCase);
        Assert.Equal($$"""{"jsonrpc":"2.0","id":1,"result":"{{BridgeHost.DeviceId}}"}""", await client.InvokeAsync("Provisioning.1.id"));
    }

    [Fact]
    public async Task EveryProvisioningMethod_TheEvent_TheErrors_TheController_AsThunderAnswers()
    {
        // The back office answers after a pause, so that a second provision meets the first one running.
        await using TestDaemon daemon = await TestDaemon.StartAsync(o =>
        {
            o.ProvisionAtBoot = false;
            o.Simulator = s => s.Faults.Add(FaultSpec.DelayBy(TimeSpan.FromSeconds(1)));
        });
        await using ThunderNativeClient client = await ThunderNativeClient.ConnectAsync(daemon.JsonRpcBaseAddress);
        const string P = "Provisioning.1.";

        Assert.Equal($$"""{"jsonrpc":"2.0","id":1,"result":"{{daemon.DeviceId}}"}""", await client.InvokeAsync(P + "id"));
        // Never provisioned: no answer from the back office yet (status 0) and no labels.
        Assert.Equal($$$"""{"jsonrpc":"2.0","id":2,"result":{"id":"{{{daemon.DeviceId}}}","status":0,"tokens":[]}}""", await client.InvokeAsync(P + "state"));
        Assert.Equal("""{"jsonrpc":"2.0","id":3,"result":0}""", await client.SubscribeAsync(P, "provisioningchange"));
        Assert.Equal("""{"jsonrpc":"2.0","id":4,"result":null}""", await client.InvokeAsync(P + "provision"));
        Assert.Equal("""{"jsonrpc":"2.0","id":5,"error":{"code":12,"message":"ERROR_INPROGRESS"}}""", await client.InvokeAsync(P + "provision"));
        Assert.Equal(
            """{"jsonrpc":"2.0","method":"temporary1.provisioningchange","params":{"status":200}}""",
            await client.NextEventAsync(timeout: TimeSpan.FromSeconds(60)));

        EngineState state = await daemon.WaitUntilProvisionedAsync();
        string tokens = string.Join(",", state.Labels.Select(t => "\"" + t + "\""));
        Assert.Equal(
            $$$"""{"jsonrpc":"2.0","id":6,"result":{"id":"{{{daemon.DeviceId}}}","status":200,"tokens":[{{{tokens}}}]}}""",
            await client.InvokeAsync(P + "state"));
        Assert.Equal("""{"jsonrpc":"2.0","id":7,"result":null}""", await client.InvokeAsync(P + "index", $$"""{"label":"{{state.Labels[0]}}","index":0}"""));
        Assert.Equal("""{"jsonrpc":"2.0","id":8,"error":{"code":-32601,"message":"Unknown method."}}""", await client.InvokeAsync(P + "nope"));

        // Set<Core::JSON::String>(..., "id", value): a write to a read-only property.
        Assert.Equal("""{"jsonrpc":"2.0","id":9,"error":{"code":2,"message":"ERROR_UNAVAILABLE"}}""", await client.InvokeAsync(P + "id", "\"WPE0000000000000\""));
        Assert.Equal("""{"jsonrpc":"2.0","id":10,"error":{"code":-32602,"message":"Requested version is not supported."}}""", await client.InvokeAsync("Provisioning.2.state"));
        Assert.Equal("""{"jsonrpc":"2.0","id":11,"error":{"code":22,"message":"Registration already done!!!."}}""", await client.SubscribeAsync(P, "provisioningchange"));
        Assert.Equal("""{"jsonrpc":"2.0","id":12,"result":0}""", await client.UnsubscribeAsync(P, "provisioningchange"));
        Assert.Equal("""{"jsonrpc":"2.0","id":13,"error":{"code":22,"message":"Unregister was already done!!!."}}""", await client.UnsubscribeAsync(P, "provisioningchange"));
        Assert.Equal("""{"jsonrpc":"2.0","id":14,"result":true}""", await client.InvokeAsync(P + "exists", """{"method":"provision"}"""));

        Assert.Equal(
            """{"jsonrpc":"2.0","id":15,"result":[{"callsign":"Provisioning","classname":"Provisioning","state":"activated","autostart":true}]}""",
            await client.InvokeAsync("Controller.1.status@Provisioning"));
        Assert.Equal("""{"jsonrpc":"2.0","id":16,"result":null}""", await client.InvokeAsync("Controller.1.deactivate", """{"callsign":"Provisioning"}"""));
        Assert.Equal("""{"jsonrpc":"2.0","id":17,"error":{"code":2,"message":"Service is not active"}}""", await client.InvokeAsync(P + "id"));
        Assert.Equal("""{"jsonrpc":"2.0","id":18,"result":null}""", await client.InvokeAsync("Controller.1.activate", """{"callsign":"Provisioning"}"""));
        Assert.Equal($$"""{"jsonrpc":"2.0","id":19,"result":"{{daemon.DeviceId}}"}""", await client.InvokeAsync(P + "id"));

        WebSocketFrame? pong = await client.PingAsync();
        Assert.Equal(WebSocketFrame.Pong, pong?.Opcode);

        (WebSocketFrame? close, bool ended) = await client.CloseAsync();
        Assert.Equal(WebSocketFrame.Close, close?.Opcode);
        Assert.True(ended, "the bridge kept the connection open after the close handshake");
    }

    [Fact]
    public async Task DirectedLink_PathJsonrpcProvisioning1_ServesProvisioning()
    {
        // LinkType(callsign, directed: true) connects to /jsonrpc/<callsign> with the version in it.
        await using BridgeHost host = await BridgeHost.StartAsync();
        await using ThunderNativeClient client = await ThunderNativeClient.ConnectAsync(host.BaseAddress, "/jsonrpc/Provisioning.1");

        Assert.Equal($$"""{"jsonrpc":"2.0","id":1,"result":"{{BridgeHost.DeviceId}}"}""", await client.InvokeAsync("Provisioning.1.id"));
        Assert.Equal("""{"jsonrpc":"2.0","id":2,"result":0}""", await client.SubscribeAsync("Provisioning.1.", "provisioningchange"));
        host.Services.GetRequiredService<EventHub>().Publish(States.Change(200));
        Assert.Equal("""{"jsonrpc":"2.0","method":"temporary1.provisioningchange","params":{"status":200}}""", await client.NextEventAsync());
    }

    [Fact]
    public async Task SmartLink_MonitorsTheControllerThenWatchesProvisioning()
    {
        // SmartLinkType: a monitor LinkType without a callsign (namespace temporary2) shares the WebSocket with the
        // Provisioning link (temporary1); it registers for the Controller's statechange, asks status@Provisioning,
        // and follows the plugin's state from the events.
        await using BridgeHost host = await BridgeHost.StartAsync();
        await using ThunderNativeClient client = await ThunderNativeClient.ConnectAsync(host.BaseAddress);

        Assert.Equal("""{"jsonrpc":"2.0","id":1,"result":0}""", await client.InvokeAsync("register", """{ "event": "statechange", "id": "temporary2"}"""));
        Assert.Equal(
            """{"jsonrpc":"2.0","id":2,"result":[{"callsign":"Provisioning","classname":"Provisioning","state":"activated","autostart":true}]}""",
            await client.InvokeAsync("status@Provisioning"));
        Assert.Equal("""{"jsonrpc":"2.0","id":3,"result":0}""", await client.SubscribeAsync("Provisioning.1.", "provisioningchange"));

        (_, string body) = await host.PostAsync(Requests.Call("Controller.1.deactivate", 1, """{"callsign":"Provisioning"}"""));
        Assert.Equal(Requests.Result("null"), body);
        Assert.Equal(
            """{"jsonrpc":"2.0","method":"temporary2.statechange","params":{"callsign":"Provisioning","state":"Deactivated","reason":"Requested"}}""",
            await client.NextEventAsync("temporary2"));
        await host.PostAsync(Requests.Call("Controller.1.activate", 2, """{"callsign":"Provisioning"}"""));
        Assert.Equal(
            """{"jsonrpc":"2.0","method":"temporary2.statechange","params":{"callsign":"Provisioning","state":"Activated","reason":"Requested"}}""",
            await client.NextEventAsync("temporary2"));

        // As Thunder does, deactivation dropped the Provisioning registration; SmartLinkType subscribes again.
        Assert.Equal("""{"jsonrpc":"2.0","id":4,"result":0}""", await client.SubscribeAsync("Provisioning.1.", "provisioningchange"));
    }

    [Theory]
    [InlineData(40)]
    [InlineData(ThunderNativeClient.FramePayload)]
    [InlineData(ThunderNativeClient.FramePayload * 2)]
    [InlineData(1000)]
    public async Task LongMessage_CutIntoContinuationFramesAsTheNativeEncoderDoes_Answered(int length)
    {
        await using BridgeHost host = await BridgeHost.StartAsync();
        await using ThunderNativeClient client = await ThunderNativeClient.ConnectAsync(host.BaseAddress);

        // Pad a member the method ignores so the whole message is exactly `length` bytes (a multiple of 248 ends
        // with an empty final continuation frame).
        // The probe takes id 1; the call below has id 2, the same number of digits.
        string head = client.Message("Provisioning.1.exists", """{"method":"provision","pad":""}""", out _);
        string padding = new('x', Math.Max(0, length - head.Length));
        Assert.Equal(Math.Max(length, head.Length), head.Length + padding.Length);
        Assert.Equal(
            """{"jsonrpc":"2.0","id":2,"result":true}""",
            await client.InvokeAsync("Provisioning.1.exists", $$"""{"method":"provision","pad":"{{padding}}"}"""));
    }

    [Fact]
    public async Task TokenInTheQuery_AsTheNativeClientPassesIt_Accepted()
    {
        await using BridgeHost host = await BridgeHost.StartAsync("JsonRpc:Tokens:0=s3cr3t");
        await using ThunderNativeClient client = await ThunderNativeClient.ConnectAsync(host.BaseAddress, "/jsonrpc/?token=s3cr3t");
        Assert.Equal($$"""{"jsonrpc":"2.0","id":1,"result":"{{BridgeHost.DeviceId}}"}""", await client.InvokeAsync("Provisioning.1.id"));

        await using RawWebSocket refused = await RawWebSocket.OpenAsync(host.BaseAddress, ThunderNativeClient.UpgradeRequest(RawWebSocket.NewKey(), "/jsonrpc/?token=wrong"));
        Assert.Equal(403, refused.HandshakeStatus);
    }
}
