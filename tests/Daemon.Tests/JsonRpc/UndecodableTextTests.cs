using System.Net.WebSockets;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>Lone surrogate escapes ("\ud800") are valid JSON syntax but no text: clear errors, never a 500 or a dropped socket.</summary>
public sealed class UndecodableTextTests
{
    [Theory]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.index","params":{"label":"\ud800"}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.exists","params":{"method":"\ud800"}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"Controller.1.deactivate","params":{"callsign":"\ud800"}}""")]
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.provision","params":{"x":"\ud800"}}""")] // a method that reads no params: was run
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.id","params":{"x":"\ud800"}}""")] // was 2 ERROR_UNAVAILABLE
    [InlineData("""{"jsonrpc":"2.0","id":1,"method":"Controller.1.status","params":{"a":{"b":["\udc00"]}}}""")] // nested: was answered
    public async Task Params_LoneSurrogate_Error32602(string request)
    {
        await using BridgeHost host = await BridgeHost.StartAsync();

        (int status, string body) = await host.PostAsync(request);

        Assert.Equal(202, status);
        Assert.StartsWith("""{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"Invalid params.""", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebSocket_LoneSurrogateInMethodOrRegistrationId_AnsweredAndTheSocketStaysUsable()
    {
        await using BridgeHost host = await BridgeHost.StartAsync();
        using ClientWebSocket socket = await host.ConnectAsync();

        string parse = await socket.CallAsync("""{"jsonrpc":"2.0","id":1,"method":"\ud800"}""");
        string register = await socket.CallAsync("""{"jsonrpc":"2.0","id":2,"method":"Provisioning.1.register","params":{"event":"provisioningchange","id":"\ud800"}}""");
        string id = await socket.CallAsync("""{"jsonrpc":"2.0","id":3,"method":"Provisioning.1.id"}""");

        Assert.Equal("""{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"Parse error."}}""", parse);
        Assert.StartsWith("""{"jsonrpc":"2.0","id":2,"error":{"code":-32602,"message":"Invalid params.""", register, StringComparison.Ordinal);
        Assert.Equal($$"""{"jsonrpc":"2.0","id":3,"result":"{{BridgeHost.DeviceId}}"}""", id);
        Assert.Equal(WebSocketState.Open, socket.State);
    }
}
