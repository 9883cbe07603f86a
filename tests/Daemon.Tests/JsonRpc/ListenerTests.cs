using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Hosting;
using Provisioning.Daemon.JsonRpc;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>The listener: its own loopback TCP port, its limits, and /jsonrpc nowhere else.</summary>
public sealed class ListenerTests
{
    [Theory]
    [InlineData("http://10.1.2.3:9998", "JsonRpc:Url: must be a loopback address")]
    [InlineData("http://0.0.0.0:9998", "JsonRpc:Url: must be a loopback address")]
    [InlineData("https://127.0.0.1:9998", "JsonRpc:Url: must be an absolute http:// URL")]
    [InlineData("127.0.0.1:9998", "JsonRpc:Url: must be an absolute http:// URL")]
    [InlineData("http://device.local:9998", "JsonRpc:Url: must name an IP address or localhost")]
    [InlineData("http://127.0.0.1:9998/jsonrpc", "JsonRpc:Url: must not have a path")]
    public async Task BadUrl_StartFails_NamingTheSetting(string url, string message)
    {
        using var state = new TempDirectory();
        WebApplicationBuilder builder = DaemonHost.CreateBuilder(
            ["--JsonRpc:Url=" + url, "--State:Directory=" + state.Path, "--Device:Id=WPE00000uCfrLF45", "--Grpc:SocketPath=" + state.Combine("p.sock")]);
        builder.Logging.ClearProviders();
        OptionsValidationException failure = await Assert.ThrowsAsync<OptionsValidationException>(() => BuildAndStartAsync(builder));
        Assert.Contains(failure.Failures, f => f.StartsWith(message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task BadLimitsAndTokens_StartFails_EveryFailureNamed()
    {
        using var state = new TempDirectory();
        WebApplicationBuilder builder = DaemonHost.CreateBuilder(
        [
            "--JsonRpc:Url=http://127.0.0.1:0", "--JsonRpc:MaxBodyBytes=1", "--JsonRpc:MaxDepth=1000", "--JsonRpc:Tokens:0= ",
            "--State:Directory=" + state.Path, "--Device:Id=WPE00000uCfrLF45", "--Grpc:SocketPath=" + state.Combine("p.sock"),
        ]);
        builder.Logging.ClearProviders();
        OptionsValidationException failure = await Assert.ThrowsAsync<OptionsValidationException>(() => BuildAndStartAsync(builder));
        Assert.Contains(failure.Failures, f => f.StartsWith("JsonRpc:", StringComparison.Ordinal) && f.Contains("MaxBodyBytes", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.StartsWith("JsonRpc:", StringComparison.Ordinal) && f.Contains("MaxDepth", StringComparison.Ordinal));
        Assert.Contains(failure.Failures, f => f.StartsWith("JsonRpc:Tokens:0:", StringComparison.Ordinal));
    }

    private static async Task BuildAndStartAsync(WebApplicationBuilder builder)
    {
        await using WebApplication app = DaemonHost.Build(builder);
        await app.StartAsync();
        await app.StopAsync();
    }

    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://[::]:0")]
    public void NonLoopback_AllowedWhenConfigured(string url)
    {
        var options = new JsonRpcOptions { Url = url, AllowNonLoopback = true };
        Assert.True(new JsonRpcOptionsRules().Validate(null, options).Succeeded);
        Assert.True(new JsonRpcOptionsRules().Validate(null, new JsonRpcOptions { Url = "http://localhost:9998" }).Succeeded);
        Assert.True(new JsonRpcOptionsRules().Validate(null, new JsonRpcOptions { Url = "http://[::1]:9998" }).Succeeded);
    }

    [Fact]
    public async Task JsonRpcPaths_AnswerOnlyOnTheBridgeListener_NotOnTheGrpcSocket()
    {
        await using TestDaemon daemon = await TestDaemon.StartAsync(o => o.WithSimulator = false);
        using var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(daemon.SocketPath), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            },
        };
        using var client = new HttpClient(handler) { BaseAddress = new Uri("http://localhost/") };
        using var request = new HttpRequestMessage(HttpMethod.Post, "jsonrpc")
        {
            Content = new StringContent(Requests.ExistsProvision),
            Version = HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using HttpResponseMessage response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);

        (int status, _) = await daemon.PostAsync(Requests.ExistsProvision);
        Assert.Equal(200, status);
    }

    [Fact]
    public async Task MaxConnections_ExtraConnectionRefused_FreedSlotUsable()
    {
        await using BridgeHost host = await BridgeHost.StartAsync("JsonRpc:MaxConnections=2");
        using ClientWebSocket first = await host.ConnectAsync();
        ClientWebSocket second = await host.ConnectAsync();
        using (var third = new ClientWebSocket())
        {
            await Assert.ThrowsAsync<WebSocketException>(() => third.ConnectAsync(host.WebSocketUri(), CancellationToken.None));
        }

        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == 3002);
        await second.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        second.Dispose();

        // The slot frees when the daemon has seen the close; retry on a fresh socket until then.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            using var fourth = new ClientWebSocket();
            try
            {
                await fourth.ConnectAsync(host.WebSocketUri(), timeout.Token);
                Assert.Equal(Requests.Result("true"), await fourth.CallAsync(Requests.ExistsProvision));
                break;
            }
            catch (WebSocketException)
            {
                await Task.Delay(50, timeout.Token);
            }
        }

        Assert.Equal(Requests.Result("true"), await first.CallAsync(Requests.ExistsProvision));
    }

    [Fact]
    public async Task MaxRegistrationsPerConnection_ExtraRegistration_Error32600()
    {
        await using BridgeHost host = await BridgeHost.StartAsync("JsonRpc:MaxRegistrationsPerConnection=2");
        using ClientWebSocket socket = await host.ConnectAsync();
        Assert.Equal(Requests.Result("0", 1), await socket.CallAsync(Requests.Register("a", 1)));
        Assert.Equal(Requests.Result("0", 2), await socket.CallAsync(Requests.Register("b", 2)));
        Requests.AssertErrorWithData(await socket.CallAsync(Requests.Register("c", 3)), -32600, "Invalid Request.", 3);
        Assert.Equal(Requests.Result("0", 4), await socket.CallAsync(Requests.Register("a", 4, "Provisioning.1.unregister")));
        Assert.Equal(Requests.Result("0", 5), await socket.CallAsync(Requests.Register("c", 5)));
    }
}
