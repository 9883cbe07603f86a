using System.Net.WebSockets;
using System.Text;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>Raw HTTP and WebSocket access to the bridge of a <see cref="TestDaemon"/>.</summary>
internal static class DaemonJsonRpc
{
    public static async Task<(int Status, string Body)> PostAsync(this TestDaemon daemon, string body, string path = "jsonrpc")
    {
        using var client = new HttpClient { BaseAddress = daemon.JsonRpcBaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using HttpResponseMessage response = await client.PostAsync(path, content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<ClientWebSocket> ConnectAsync(this TestDaemon daemon, string subprotocol = "notification")
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol(subprotocol);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(new UriBuilder(daemon.JsonRpcBaseAddress) { Scheme = "ws", Path = "jsonrpc" }.Uri, timeout.Token);
        return socket;
    }
}
