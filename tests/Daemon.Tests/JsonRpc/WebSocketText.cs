using System.Net.WebSockets;
using System.Text;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>Send and receive whole text frames on a ClientWebSocket, with generous timeouts.</summary>
internal static class WebSocketText
{
    public static async Task SendAsync(this ClientWebSocket socket, string text)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, timeout.Token);
    }

    public static async Task<string> ReceiveTextAsync(this ClientWebSocket socket, TimeSpan? timeout = null)
    {
        (WebSocketMessageType type, string text) = await ReceiveAsync(socket, timeout);
        Assert.Equal(WebSocketMessageType.Text, type);
        return text;
    }

    public static async Task<(WebSocketMessageType Type, string Text)> ReceiveAsync(this ClientWebSocket socket, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        byte[] buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            WebSocketReceiveResult result = await socket.ReceiveAsync(buffer, cts.Token);
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return (result.MessageType, Encoding.UTF8.GetString(message.ToArray()));
            }
        }
    }

    public static async Task<string> CallAsync(this ClientWebSocket socket, string request)
    {
        await socket.SendAsync(request);
        return await socket.ReceiveTextAsync();
    }
}
