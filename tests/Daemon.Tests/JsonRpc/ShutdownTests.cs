using System.Net.WebSockets;

namespace Provisioning.Daemon.Tests.JsonRpc;

public sealed class ShutdownTests
{
    [Fact]
    public async Task DaemonStopping_OpenWebSocket_ClosedWith1001()
    {
        BridgeHost host = await BridgeHost.StartAsync();
        using ClientWebSocket socket = await host.ConnectAsync();
        await socket.CallAsync(Requests.Register("client.events.1"));

        Task stopping = host.DisposeAsync().AsTask();
        (WebSocketMessageType type, _) = await socket.ReceiveAsync();
        await stopping;

        Assert.Equal(WebSocketMessageType.Close, type);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, socket.CloseStatus);
    }
}
