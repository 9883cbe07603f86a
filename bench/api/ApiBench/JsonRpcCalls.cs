using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Provisioning.Bench.Api;

/// <summary>The bridge as a Thunder caller uses it: POST for calls, a WebSocket for events.</summary>
internal static class JsonRpcCalls
{
    public static async Task<JsonElement> PostAsync(HttpClient http, Uri bridge, string method, int id)
    {
        string body = $$"""{"jsonrpc":"2.0","id":{{id}},"method":"{{method}}"}""";
        using HttpResponseMessage response = await http.PostAsync(new Uri(bridge, "/jsonrpc"), new StringContent(body, Encoding.UTF8, "application/json"));
        return JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync()).RootElement.Clone();
    }

    /// <summary>A WebSocket registered for provisioningchange under <paramref name="clientId"/>.</summary>
    public static async Task<ClientWebSocket> SubscribeAsync(Uri bridge, string clientId, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        var ws = new UriBuilder(bridge) { Scheme = "ws", Path = "/jsonrpc" }.Uri;
        await socket.ConnectAsync(ws, cancellationToken);
        string register = $$$"""{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.register","params":{"event":"provisioningchange","id":"{{{clientId}}}"}}""";
        await socket.SendAsync(Encoding.UTF8.GetBytes(register), WebSocketMessageType.Text, true, cancellationToken);
        string answer = await ReceiveAsync(socket, cancellationToken);
        if (!answer.Contains("\"result\":0", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("register failed: " + answer);
        }

        return socket;
    }

    public static async Task<string> ReceiveAsync(ClientWebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        int count = 0;
        while (true)
        {
            ValueWebSocketReceiveResult result = await socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken);
            count += result.Count;
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(buffer, 0, count);
            }

            if (count == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }
        }
    }
}
