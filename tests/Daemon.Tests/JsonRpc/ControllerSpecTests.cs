using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Daemon.JsonRpc;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>docs/thunder-jsonrpc.md, "Controller subset". Each test has its own daemon: activation is global.</summary>
public sealed class ControllerSpecTests
{
    private const string ActivatedStatus = """[{"callsign":"Provisioning","classname":"Provisioning","state":"activated","autostart":true}]""";

    [Theory]
    [InlineData("Controller.1.status@Provisioning")]
    [InlineData("Controller.1.status")]
    [InlineData("status@Provisioning")]
    public async Task StatusAtProvisioning_ListsActivatedPlugin(string method)
    {
        await using BridgeHost host = await BridgeHost.StartAsync();
        (int status, string body) = await host.PostAsync(Requests.Call(method));
        Assert.Equal(200, status);
        Assert.Equal(Requests.Result(ActivatedStatus), body);
    }

    [Theory]
    [InlineData("status", "true")]
    [InlineData("deactivate", "true")]
    [InlineData("exists", "true")]
    [InlineData("register", "true")]
    [InlineData("state", "false")]
    public async Task BuiltInExists_OnController_AnswersWhetherTheMethodExists(string method, string expected)
    {
        await using BridgeHost host = await BridgeHost.StartAsync();
        (int status, string body) = await host.PostAsync(Requests.Call("Controller.1.exists", parameters: $$"""{"method":"{{method}}"}"""));
        Assert.Equal(200, status);
        Assert.Equal(Requests.Result(expected), body);
    }

    [Theory]
    [InlineData("Controller.1.register")]
    [InlineData("Controller.1.unregister")]
    public async Task BuiltInRegister_OnController_AnEventOtherThanStatechange_Error32602(string method)
    {
        await using BridgeHost host = await BridgeHost.StartAsync();
        using ClientWebSocket socket = await host.ConnectAsync();
        string body = await socket.CallAsync(Requests.Call(method, parameters: """{"event":"subsystemchange","id":"client.controller"}"""));
        Requests.AssertErrorWithData(body, -32602, "Invalid params.", 1);
    }

    [Theory]
    [InlineData("Controller.1.register", "client.Controller.events")]
    [InlineData("register", "temporary2")]
    public async Task Statechange_Registered_DeactivateAndActivateNotified(string method, string clientId)
    {
        // ThunderJS registers as client.Controller.events; the native SmartLinkType as temporaryN, without a callsign.
        await using BridgeHost host = await BridgeHost.StartAsync();
        using ClientWebSocket socket = await host.ConnectAsync();
        Assert.Equal(Requests.Result("0"), await socket.CallAsync(Requests.Call(method, parameters: $$"""{"event":"statechange","id":"{{clientId}}"}""")));
        Assert.Equal(
            """{"jsonrpc":"2.0","id":2,"error":{"code":22,"message":"Registration already done!!!."}}""",
            await socket.CallAsync(Requests.Call(method, 2, $$"""{"event":"statechange","id":"{{clientId}}"}""")));

        (_, string body) = await host.PostAsync(Requests.Call("Controller.1.deactivate", 3, """{"callsign":"Provisioning"}"""));
        Assert.Equal(Requests.Result("null", 3), body);
        Assert.Equal(
            $$$"""{"jsonrpc":"2.0","method":"{{{clientId}}}.statechange","params":{"callsign":"Provisioning","state":"Deactivated","reason":"Requested"}}""",
            await socket.ReceiveTextAsync());

        // Deactivation drops Provisioning's registrations, not the Controller's.
        (_, body) = await host.PostAsync(Requests.Call("Controller.1.activate", 4, """{"callsign":"Provisioning"}"""));
        Assert.Equal(Requests.Result("null", 4), body);
        Assert.Equal(
            $$$"""{"jsonrpc":"2.0","method":"{{{clientId}}}.statechange","params":{"callsign":"Provisioning","state":"Activated","reason":"Requested"}}""",
            await socket.ReceiveTextAsync());

        // Activating an active plugin changes nothing and tells nobody.
        await host.PostAsync(Requests.Call("Controller.1.activate", 5, """{"callsign":"Provisioning"}"""));
        Assert.Equal(Requests.Result("0", 6), await socket.CallAsync(Requests.Call(method.Replace("register", "unregister", StringComparison.Ordinal), 6, $$"""{"event":"statechange","id":"{{clientId}}"}""")));
        await host.PostAsync(Requests.Call("Controller.1.deactivate", 7, """{"callsign":"Provisioning"}"""));
        Assert.Equal(Requests.Result("true", 8), await socket.CallAsync(Requests.Call("Controller.1.exists", 8, """{"method":"status"}""")));
    }

    [Fact]
    public async Task StatusAtOtherCallsign_Error22()
    {
        await using BridgeHost host = await BridgeHost.StartAsync();
        (int status, string body) = await host.PostAsync(Requests.Call("Controller.1.status@Nope"));
        Assert.Equal(202, status);
        Assert.Equal(Requests.Error(22, "ERROR_UNKNOWN_KEY"), body);
    }

    [Fact]
    public async Task Deactivate_ProvisioningCallsAnswerServiceNotActive_RegistrationsDropped_ActivateRestores()
    {
        await using BridgeHost host = await BridgeHost.StartAsync();
        EventHub hub = host.Services.GetRequiredService<EventHub>();
        using ClientWebSocket socket = await host.ConnectAsync();
        await socket.CallAsync(Requests.Register("client.events.1"));

        (int status, string body) = await host.PostAsync(Requests.Call("Controller.1.deactivate", 2, """{"callsign":"Provisioning"}"""));
        Assert.Equal(200, status);
        Assert.Equal(Requests.Result("null", 2), body);

        (_, body) = await host.PostAsync(Requests.Call("Controller.1.status@Provisioning", 3));
        Assert.Contains("\"state\":\"deactivated\"", body, StringComparison.Ordinal);
        foreach (string method in new[] { "Provisioning.1.state", "Provisioning.1.id", "Provisioning.1.provision", "Provisioning.1.exists", "Provisioning.2.state", "Provisioning.1.nope" })
        {
            (status, body) = await host.PostAsync(Requests.Call(method, 4));
            Assert.Equal(202, status);
            Assert.Equal(Requests.Error(2, "Service is not active", 4), body);
        }

        Assert.Equal(Requests.Error(2, "Service is not active", 5), await socket.CallAsync(Requests.Register("client.events.1", 5)));
        Assert.Equal(0, hub.SessionCount);

        (status, body) = await host.PostAsync(Requests.Call("Controller.1.activate", 6, """{"callsign":"Provisioning"}"""));
        Assert.Equal(Requests.Result("null", 6), body);

        // The registration was dropped, so registering the same id again succeeds.
        Assert.Equal(Requests.Result("0", 7), await socket.CallAsync(Requests.Register("client.events.1", 7)));
        hub.Publish(States.Change(200));
        Assert.Contains("client.events.1.provisioningchange", await socket.ReceiveTextAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Controller.1.activate", """{"callsign":"Nope"}""", 22)]
    [InlineData("Controller.1.deactivate", """{"callsign":"provisioning"}""", 22)]
    [InlineData("Controller.1.deactivate", """{}""", -32602)]
    [InlineData("Controller.1.activate", null, -32602)]
    [InlineData("Controller.1.harakiri", null, -32601)]
    [InlineData("Controller.2.status", null, -32602)]
    public async Task ControllerMisuse_Errors(string method, string? parameters, int code)
    {
        await using BridgeHost host = await BridgeHost.StartAsync();
        (int status, string body) = await host.PostAsync(Requests.Call(method, 1, parameters));
        Assert.Equal(202, status);
        Assert.Contains($"\"code\":{code},", body, StringComparison.Ordinal);
        (_, body) = await host.PostAsync(Requests.Call("Controller.1.status@Provisioning"));
        Assert.Contains("\"state\":\"activated\"", body, StringComparison.Ordinal);
    }
}
