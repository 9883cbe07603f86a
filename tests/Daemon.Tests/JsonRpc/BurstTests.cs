using System.Net.WebSockets;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>A peer that sends many calls before it reads is slowed down, not closed: only a peer that stops reading is.</summary>
public sealed class BurstTests
{
    [Fact]
    public async Task WebSocket_ThousandCallsSentBeforeReading_AllAnsweredInOrderAndTheSocketStaysOpen()
    {
        await using BridgeHost host = await BridgeHost.StartAsync();
        using ClientWebSocket socket = await host.ConnectAsync();

        for (int id = 1; id <= 1000; id++)
        {
            await socket.SendAsync($"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"method\":\"Provisioning.1.id\"}}");
        }

        for (int id = 1; id <= 1000; id++)
        {
            Assert.Equal($"{{\"jsonrpc\":\"2.0\",\"id\":{id},\"result\":\"{BridgeHost.DeviceId}\"}}", await socket.ReceiveTextAsync());
        }

        Assert.Equal(WebSocketState.Open, socket.State);
    }
}
