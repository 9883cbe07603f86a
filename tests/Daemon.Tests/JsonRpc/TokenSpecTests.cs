using System.Net;
using System.Net.WebSockets;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>docs/thunder-jsonrpc.md, "Security token": one test per line.</summary>
public sealed class TokenSpecTests
{
    private const string Token = "s3cr3t-token";

    [Fact]
    public async Task TokensConfigured_BearerHeaderOrWebSocketQuery_Accepted()
    {
        await using BridgeHost host = await BridgeHost.StartAsync($"JsonRpc:Tokens:0=other", $"JsonRpc:Tokens:1={Token}");
        (int status, string body) = await host.PostAsync(Requests.ExistsProvision, token: Token);
        Assert.Equal(200, status);
        Assert.Equal(Requests.Result("true"), body);

        using ClientWebSocket byQuery = await host.ConnectAsync(query: "token=" + Token);
        Assert.Equal(Requests.Result("true"), await byQuery.CallAsync(Requests.ExistsProvision));

        using var byHeader = new ClientWebSocket();
        byHeader.Options.SetRequestHeader("Authorization", "Bearer " + Token);
        await byHeader.ConnectAsync(host.WebSocketUri(), CancellationToken.None);
        Assert.Equal(Requests.Result("true"), await byHeader.CallAsync(Requests.ExistsProvision));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong")]
    [InlineData("s3cr3t-toke")]
    public async Task HttpWithoutValidToken_401(string? token)
    {
        await using BridgeHost host = await BridgeHost.StartAsync($"JsonRpc:Tokens:0={Token}");
        (int status, string body) = await host.PostAsync(Requests.ExistsProvision, token: token);
        Assert.Equal(401, status);
        Assert.Equal(string.Empty, body);
    }

    [Theory]
    [InlineData("GET /jsonrpc HTTP/1.1\r\nHost: x\r\n\r\n")] // was 405
    [InlineData("POST /jsonrpc/Nope HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")] // was 404
    [InlineData("POST /jsonrpc/Provisioning.2 HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}")] // was 400
    [InlineData("DELETE /jsonrpc/Provisioning HTTP/1.1\r\nHost: x\r\n\r\n")]
    public async Task AnyRequestWithoutValidToken_401BeforeItsPathOrMethodIsJudged(string request)
    {
        await using BridgeHost host = await BridgeHost.StartAsync($"JsonRpc:Tokens:0={Token}");
        string response = await RawHttp.ExchangeAsync(host.BaseAddress, request);
        Assert.Equal(401, RawHttp.StatusOf(response));
        Assert.Contains("WWW-Authenticate: Bearer", response, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task HttpTokenInQuery_NotAccepted_401()
    {
        await using BridgeHost host = await BridgeHost.StartAsync($"JsonRpc:Tokens:0={Token}");
        (int status, _) = await host.PostAsync(Requests.ExistsProvision, path: "jsonrpc?token=" + Token);
        Assert.Equal(401, status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("token=wrong")]
    public async Task WebSocketUpgradeWithoutValidToken_403(string? query)
    {
        await using BridgeHost host = await BridgeHost.StartAsync($"JsonRpc:Tokens:0={Token}");
        using var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(host.WebSocketUri(query: query), CancellationToken.None));
        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    [Fact]
    public async Task NoTokensConfigured_EverythingAllowed()
    {
        await using BridgeHost host = await BridgeHost.StartAsync();
        (int status, _) = await host.PostAsync(Requests.ExistsProvision, token: "anything");
        Assert.Equal(200, status);
        (status, _) = await host.PostAsync(Requests.ExistsProvision);
        Assert.Equal(200, status);
        using ClientWebSocket socket = await host.ConnectAsync();
        Assert.Equal(WebSocketState.Open, socket.State);
    }
}
