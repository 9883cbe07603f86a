using System.Net.WebSockets;
using Provisioning.BackOfficeSimulator;
using Provisioning.Daemon.Engine;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>The bridge on the real engine, against the back-office simulator: what legacy callers do.</summary>
public sealed class EngineFlowTests
{
    private static readonly TimeSpan Slow = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task LegacyFlow_RegisterProvisionNotifyUnregister_NoMoreNotifications()
    {
        await using TestDaemon daemon = await TestDaemon.StartAsync(o => o.ProvisionAtBoot = false);
        using ClientWebSocket socket = await daemon.ConnectAsync("notification");
        Assert.Equal("notification", socket.SubProtocol);

        Assert.Equal(Requests.Result("0", 1), await socket.CallAsync(Requests.Register("client.Provisioning.events", 1)));
        Assert.Equal(Requests.Result("0", 2), await socket.CallAsync(Requests.Register("client.events.1", 2)));

        await socket.SendAsync(Requests.Call("Provisioning.1.provision", 3));
        bool answered = false;
        bool thunderJsHeard = false;
        bool clientHeard = false;
        while (!(answered && thunderJsHeard && clientHeard))
        {
            // A notification may come before the response to the call that caused it (the spec allows it).
            string frame = await socket.ReceiveTextAsync();
            answered |= frame == Requests.Result("null", 3);
            thunderJsHeard |= frame == """{"jsonrpc":"2.0","method":"client.Provisioning.events.provisioningchange","params":{"status":200}}""";
            clientHeard |= frame == """{"jsonrpc":"2.0","method":"client.events.1.provisioningchange","params":{"status":200}}""";
            Assert.True(
                answered || frame.StartsWith("""{"jsonrpc":"2.0","method":"client.""", StringComparison.Ordinal),
                "Unexpected frame: " + frame);
        }

        string tokens = string.Join(",", daemon.IssuedLabels.Order(StringComparer.Ordinal).Select(t => "\"" + t + "\""));
        Assert.Equal(
            Requests.Result($$$"""{"id":"{{{daemon.DeviceId}}}","status":200,"tokens":[{{{tokens}}}]}""", 4),
            await socket.CallAsync(Requests.Call("Provisioning.1.state", 4)));

        Assert.Equal(Requests.Result("0", 5), await socket.CallAsync(Requests.Register("client.Provisioning.events", 5, "Provisioning.1.unregister")));
        Assert.Equal(Requests.Result("0", 6), await socket.CallAsync(Requests.Register("client.events.1", 6, "Provisioning.1.unregister")));

        // A second caller registered now: when it hears the run end, the bridge has fanned that change out to all.
        using ClientWebSocket witness = await daemon.ConnectAsync("json");
        Assert.Equal(Requests.Result("0", 1), await witness.CallAsync(Requests.Register("witness", 1)));

        Assert.Equal(Requests.Result("null", 7), await socket.CallAsync(Requests.Call("Provisioning.1.provision", 7)));
        Assert.Equal(
            """{"jsonrpc":"2.0","method":"witness.provisioningchange","params":{"status":200}}""",
            await witness.ReceiveTextAsync());

        // Frames are in order: if a notification had been queued for this socket, it would come first.
        Assert.Equal(Requests.Result("true", 8), await socket.CallAsync(Requests.Call("Provisioning.1.exists", 8, """{"method":"id"}""")));
    }

    [Fact]
    public async Task ProvisionDuringRun_Error12InProgress()
    {
        await using TestDaemon daemon = await TestDaemon.StartAsync(o =>
        {
            o.ProvisionAtBoot = false;
            o.Simulator = s => s.Faults.Add(FaultSpec.DelayBy(Slow));
        });

        (int status, string body) = await daemon.PostAsync(Requests.Call("Provisioning.1.provision", 1));
        Assert.Equal(200, status);
        Assert.Equal("""{"jsonrpc":"2.0","id":1,"result":null}""", body);

        (status, body) = await daemon.PostAsync(Requests.Call("Provisioning.1.provision", 2));
        Assert.Equal(202, status);
        Assert.Equal("""{"jsonrpc":"2.0","id":2,"error":{"code":12,"message":"ERROR_INPROGRESS"}}""", body);

        using ClientWebSocket socket = await daemon.ConnectAsync();
        Assert.Equal(
            """{"jsonrpc":"2.0","id":3,"error":{"code":12,"message":"ERROR_INPROGRESS"}}""",
            await socket.CallAsync(Requests.Call("Provisioning.1.provision", 3)));
    }

    [Theory]
    [InlineData("Provisioning.1.provision", null)]
    [InlineData("Provisioning.1.index", null)]
    [InlineData("Provisioning.1.index", """{"label":"netflix"}""")]
    [InlineData("Provisioning.1.index", """{"label":"netflix","index":1}""")]
    [InlineData("Provisioning.1.state", null)]
    [InlineData("provision", null)]
    public async Task NoBackOffice_EveryCall_Error2Unavailable(string method, string? parameters)
    {
        await using TestDaemon daemon = await TestDaemon.StartAsync(o => o.WithSimulator = false);
        (int status, string body) = await daemon.PostAsync(Requests.Call(method, 1, parameters), "jsonrpc/Provisioning");
        Assert.Equal(202, status);
        Assert.Equal("""{"jsonrpc":"2.0","id":1,"error":{"code":2,"message":"ERROR_UNAVAILABLE"}}""", body);
    }

    [Fact]
    public async Task NoBackOffice_Id_StillAnswersTheProvisionId()
    {
        // The interface documents no error for id: the device knows its ID without a back office.
        await using TestDaemon daemon = await TestDaemon.StartAsync(o => o.WithSimulator = false);
        (int status, string body) = await daemon.PostAsync(Requests.Call("Provisioning.1.id", 1));
        Assert.Equal(200, status);
        Assert.Equal($$"""{"jsonrpc":"2.0","id":1,"result":"{{daemon.DeviceId}}"}""", body);
    }

    [Fact]
    public async Task Provisioned_StateAndIndex_Answer()
    {
        await using TestDaemon daemon = await TestDaemon.StartAsync();
        await daemon.WaitForStateAsync(s => s.IsProvisioned && s.Phase == EnginePhase.Idle);
        string tokens = string.Join(",", daemon.IssuedLabels.Order(StringComparer.Ordinal).Select(t => "\"" + t + "\""));

        (int status, string body) = await daemon.PostAsync(Requests.Call("Provisioning.state", 1), "jsonrpc/Provisioning");
        Assert.Equal(200, status);
        Assert.Equal(Requests.Result($$$"""{"id":"{{{daemon.DeviceId}}}","status":200,"tokens":[{{{tokens}}}]}"""), body);

        (status, body) = await daemon.PostAsync(Requests.Call("Provisioning.1.index", 2, $$"""{"label":"{{daemon.IssuedLabels[0]}}","index":0}"""));
        Assert.Equal(200, status);
        Assert.Equal(Requests.Result("null", 2), body);

        (status, body) = await daemon.PostAsync(Requests.Call("Provisioning.1.index", 3, """{"label":"no-such-label","index":0}"""));
        Assert.Equal(202, status);
        Assert.Equal(Requests.Error(2, "ERROR_UNAVAILABLE", 3), body);

        (status, body) = await daemon.PostAsync(Requests.Call("Provisioning.1.index", 4, $$"""{"label":"{{daemon.IssuedLabels[0]}}","index":100000}"""));
        Assert.Equal(202, status);
        Assert.Equal(Requests.Error(2, "ERROR_UNAVAILABLE", 4), body);
    }
}
