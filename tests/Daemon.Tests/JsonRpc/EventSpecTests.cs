using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Daemon.JsonRpc;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>docs/thunder-jsonrpc.md, "Events": one test per line. Changes are published through the bridge's hub.</summary>
public sealed class EventSpecTests(BridgeFixture fixture) : IClassFixture<BridgeFixture>
{
    private BridgeHost Host => fixture.Host;

    private EventHub Hub => Host.Services.GetRequiredService<EventHub>();

    [Fact]
    public async Task Register_AnswersResult0()
    {
        using ClientWebSocket socket = await Host.ConnectAsync();
        Assert.Equal("""{"jsonrpc":"2.0","id":1,"result":0}""", await socket.CallAsync(Requests.Register("client.events.1")));
    }

    [Fact]
    public async Task SameRegistrationTwice_Error22_RegistrationAlreadyDone()
    {
        using ClientWebSocket socket = await Host.ConnectAsync();
        await socket.CallAsync(Requests.Register("client.events.1", 1));
        Assert.Equal(
            """{"jsonrpc":"2.0","id":2,"error":{"code":22,"message":"Registration already done!!!."}}""",
            await socket.CallAsync(Requests.Register("client.events.1", 2)));
    }

    [Fact]
    public async Task UnregisterNotRegistered_Error22_UnregisterAlreadyDone()
    {
        using ClientWebSocket socket = await Host.ConnectAsync();
        Assert.Equal(
            """{"jsonrpc":"2.0","id":1,"error":{"code":22,"message":"Unregister was already done!!!."}}""",
            await socket.CallAsync(Requests.Register("client.events.1", 1, "Provisioning.1.unregister")));
    }

    [Theory]
    [InlineData("""{"event":"statechange","id":"client.events.1"}""")]
    [InlineData("""{"event":"ProvisioningChange","id":"client.events.1"}""")]
    [InlineData("""{"id":"client.events.1"}""")]
    [InlineData("""{"event":"provisioningchange"}""")]
    [InlineData("""{"event":"provisioningchange","id":5}""")]
    [InlineData("""[]""")]
    [InlineData(null)]
    public async Task RegisterUnknownEventOrWithoutEventOrId_Error32602(string? parameters)
    {
        using ClientWebSocket socket = await Host.ConnectAsync();
        Requests.AssertErrorWithData(await socket.CallAsync(Requests.Call("Provisioning.1.register", 4, parameters)), -32602, "Invalid params.", 4);
    }

    [Fact]
    public async Task NotificationFrame_ExactBytes_NoIdMember()
    {
        using ClientWebSocket socket = await Host.ConnectAsync();
        await socket.CallAsync(Requests.Register("client.events.1"));
        Hub.Publish(States.Change(200));
        Assert.Equal(
            """{"jsonrpc":"2.0","method":"client.events.1.provisioningchange","params":{"status":200}}""",
            await socket.ReceiveTextAsync());
    }

    [Theory]
    [InlineData("client.Provisioning.events")]
    [InlineData("x")]
    [InlineData("a-b_c.d.e.1")]
    [InlineData("")]
    public async Task AnyIdString_NotifiedAsIdDotEvent(string clientId)
    {
        using ClientWebSocket socket = await Host.ConnectAsync();
        await socket.CallAsync(Requests.Register(clientId));
        Hub.Publish(States.Change(503));
        Assert.Equal(
            $$$"""{"jsonrpc":"2.0","method":"{{{clientId}}}.provisioningchange","params":{"status":503}}""",
            await socket.ReceiveTextAsync());
    }

    [Fact]
    public async Task OnlyProvisioningChanges_AreNotified()
    {
        using ClientWebSocket socket = await Host.ConnectAsync();
        await socket.CallAsync(Requests.Register("client.events.1"));
        Hub.Publish(States.Change(0, isProvisioningChange: false));
        Hub.Publish(States.Change(201));
        Assert.Contains("\"params\":{\"status\":201}", await socket.ReceiveTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SameIdOnTwoConnections_BothGetEveryEvent()
    {
        using ClientWebSocket first = await Host.ConnectAsync();
        using ClientWebSocket second = await Host.ConnectAsync();
        await first.CallAsync(Requests.Register("shared"));
        await second.CallAsync(Requests.Register("shared"));
        Hub.Publish(States.Change(200));
        Hub.Publish(States.Change(304));
        foreach (ClientWebSocket socket in new[] { first, second })
        {
            Assert.Contains("{\"status\":200}", await socket.ReceiveTextAsync(), StringComparison.Ordinal);
            Assert.Contains("{\"status\":304}", await socket.ReceiveTextAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Unregister_StopsNotifications()
    {
        using ClientWebSocket socket = await Host.ConnectAsync();
        await socket.CallAsync(Requests.Register("client.events.1", 1));
        Assert.Equal(Requests.Result("0", 2), await socket.CallAsync(Requests.Register("client.events.1", 2, "Provisioning.1.unregister")));
        Hub.Publish(States.Change(200));
        Assert.Equal(Requests.Result("true", 3), await socket.CallAsync(Requests.Call("Provisioning.1.exists", 3, """{"method":"id"}""")));
    }

    [Fact]
    public async Task RegistrationsDieWithConnection()
    {
        // A hub of its own, so that other tests' sockets do not count.
        await using BridgeHost host = await BridgeHost.StartAsync();
        EventHub hub = host.Services.GetRequiredService<EventHub>();
        using (ClientWebSocket socket = await host.ConnectAsync())
        {
            await socket.CallAsync(Requests.Register("client.events.1"));
            Assert.Equal(1, hub.SessionCount);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (hub.SessionCount != 0)
        {
            await Task.Delay(20, timeout.Token);
        }

        Assert.Equal(0, hub.SessionCount);
    }

    [Fact]
    public async Task UnregisteringTheLastRegistrationLeavesTheHub()
    {
        await using BridgeHost host = await BridgeHost.StartAsync();
        EventHub hub = host.Services.GetRequiredService<EventHub>();
        using ClientWebSocket socket = await host.ConnectAsync();
        await socket.CallAsync(Requests.Register("a", 1));
        await socket.CallAsync(Requests.Register("b", 2));
        Assert.Equal(1, hub.SessionCount);

        Assert.Equal(Requests.Result("0", 3), await socket.CallAsync(Requests.Register("a", 3, "Provisioning.1.unregister")));
        Assert.Equal(1, hub.SessionCount);
        Assert.Equal(Requests.Result("0", 4), await socket.CallAsync(Requests.Register("b", 4, "Provisioning.1.unregister")));
        Assert.Equal(0, hub.SessionCount);

        // Registering again after the session left the hub works, and notifications reach it.
        Assert.Equal(Requests.Result("0", 5), await socket.CallAsync(Requests.Register("a", 5)));
        hub.Publish(States.Change(200));
        Assert.Equal("""{"jsonrpc":"2.0","method":"a.provisioningchange","params":{"status":200}}""", await socket.ReceiveTextAsync());
    }

    [Theory]
    [InlineData("Provisioning.1.register")]
    [InlineData("Provisioning.1.unregister")]
    public async Task RegisterOverHttpPost_Error32600_DataSaysWebSocket(string method)
    {
        (int status, string body) = await Host.PostAsync(Requests.Register("client.events.1", 1, method));
        Assert.Equal(202, status);
        Requests.AssertErrorWithData(body, -32600, "Invalid Request.", 1);
        Assert.Contains("WebSocket", body, StringComparison.Ordinal);
    }
}
