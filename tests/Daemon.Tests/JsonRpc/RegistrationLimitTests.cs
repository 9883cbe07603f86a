using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Daemon.JsonRpc;
using Provisioning.Daemon.Tests.Authorization;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>
/// JsonRpc:MaxRegistrations bounds the registrations of all WebSockets together, JsonRpc:MaxRegistrationsPerUid the
/// share of one uid other than root, and ids are bounded.
/// </summary>
public sealed class RegistrationLimitTests
{
    [Fact]
    public async Task RegistrationsOverTheBridgeLimit_AreRefused_AndTheirPlacesComeBackWhenAConnectionEnds()
    {
        await using BridgeHost host = await BridgeHost.StartAsync("JsonRpc:MaxRegistrations=2");
        EventHub hub = host.Services.GetRequiredService<EventHub>();
        using ClientWebSocket second = await host.ConnectAsync();
        using (ClientWebSocket first = await host.ConnectAsync())
        {
            Assert.Equal(Requests.Result("0", 1), await first.CallAsync(Requests.Register("a", 1)));
            Assert.Equal(Requests.Result("0", 2), await first.CallAsync(Requests.Register("b", 2)));

            string refused = await second.CallAsync(Requests.Register("c", 3));
            Assert.StartsWith("""{"jsonrpc":"2.0","id":3,"error":{"code":-32600,""", refused, StringComparison.Ordinal);
            Assert.Contains("JsonRpc:MaxRegistrations.", refused, StringComparison.Ordinal);
            Assert.Equal(2, hub.RegistrationCount);

            // An unregistration gives its place back at once.
            Assert.Equal(Requests.Result("0", 4), await first.CallAsync(Requests.Register("b", 4, "Provisioning.1.unregister")));
            Assert.Equal(Requests.Result("0", 5), await second.CallAsync(Requests.Register("c", 5)));
            await first.CloseAsync(WebSocketCloseStatus.NormalClosure, null, TestContext.Current.CancellationToken);
        }

        // A connection that ends gives back every place it held.
        await UntilRegistrationsAreAsync(hub, 1);

        Assert.Equal(Requests.Result("0", 6), await second.CallAsync(Requests.Register("d", 6)));
    }

    /// <summary>
    /// One program (a uid other than root, over real loopback TCP through socat run as that uid) cannot take every
    /// registration: its WebSockets together stop at its share, another uid and root still register, and what it
    /// gives back, by unregistering or by closing a WebSocket, it may take again.
    /// </summary>
    [RootFact]
    public async Task OneUidsWebSockets_StopAtItsShare_WhileOtherUidsAndRootStillRegister()
    {
        await using BridgeHost host = await BridgeHost.StartAsync("JsonRpc:MaxRegistrations=8", "JsonRpc:MaxRegistrationsPerUid=3");
        EventHub hub = host.Services.GetRequiredService<EventHub>();
        string target = $"TCP4:127.0.0.1:{host.BaseAddress.Port}";
        await using OtherUserRelay greedy = await OtherUserRelay.StartAsync(PolicyCaller.Other, target);
        await using OtherUserRelay another = await OtherUserRelay.StartAsync(PolicyCaller.NamedUid, target);
        using ClientWebSocket other = await another.ConnectWebSocketAsync();
        using ClientWebSocket root = await host.ConnectAsync();
        using ClientWebSocket second = await greedy.ConnectWebSocketAsync();
        using (ClientWebSocket first = await greedy.ConnectWebSocketAsync())
        {
            Assert.Equal(Requests.Result("0", 1), await first.CallAsync(Requests.Register("a", 1)));
            Assert.Equal(Requests.Result("0", 2), await first.CallAsync(Requests.Register("b", 2)));
            Assert.Equal(Requests.Result("0", 3), await second.CallAsync(Requests.Register("c", 3)));

            // The share is the uid's, not the connection's: either of its WebSockets is refused now.
            foreach (ClientWebSocket socket in (ClientWebSocket[])[first, second])
            {
                string refused = await socket.CallAsync(Requests.Register("d", 4));
                Assert.StartsWith("""{"jsonrpc":"2.0","id":4,"error":{"code":-32600,""", refused, StringComparison.Ordinal);
                Assert.Contains("JsonRpc:MaxRegistrationsPerUid.", refused, StringComparison.Ordinal);
            }

            Assert.Equal(Requests.Result("0", 5), await other.CallAsync(Requests.Register("e", 5)));
            for (uint i = 0; i < 4; i++)
            {
                Assert.Equal(Requests.Result("0", 6 + i), await root.CallAsync(Requests.Register($"root{i}", 6 + i)));
            }

            Assert.Equal(8, hub.RegistrationCount);

            // An unregistration gives the uid its place back at once (the bridge is full, so root is refused).
            Assert.Contains("JsonRpc:MaxRegistrations.", await root.CallAsync(Requests.Register("root4", 10)), StringComparison.Ordinal);
            Assert.Equal(Requests.Result("0", 11), await first.CallAsync(Requests.Register("b", 11, "Provisioning.1.unregister")));
            Assert.Equal(Requests.Result("0", 12), await second.CallAsync(Requests.Register("d", 12)));
            await first.CloseAsync(WebSocketCloseStatus.NormalClosure, null, TestContext.Current.CancellationToken);
        }

        // A WebSocket that ends gives its uid back every place it held.
        await UntilRegistrationsAreAsync(hub, 7);

        Assert.Equal(Requests.Result("0", 13), await second.CallAsync(Requests.Register("f", 13)));
        Assert.Equal(Requests.Result("0", 14), await root.CallAsync(Requests.Register("root0", 14, "Provisioning.1.unregister")));
        Assert.Contains("JsonRpc:MaxRegistrationsPerUid.", await second.CallAsync(Requests.Register("g", 15)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IdLongerThanTheLongestForm_IsInvalidParams()
    {
        await using BridgeHost host = await BridgeHost.StartAsync();
        using ClientWebSocket socket = await host.ConnectAsync();

        string longest = new('i', JsonRpcDispatcher.MaxEventIdLength);
        Assert.Equal(Requests.Result("0"), await socket.CallAsync(Requests.Register(longest)));
        string refused = await socket.CallAsync(Requests.Register(longest + "i", 2));
        Assert.StartsWith("""{"jsonrpc":"2.0","id":2,"error":{"code":-32602,""", refused, StringComparison.Ordinal);
        Assert.Contains($"longer than {JsonRpcDispatcher.MaxEventIdLength} characters", refused, StringComparison.Ordinal);
    }

    private static async Task UntilRegistrationsAreAsync(EventHub hub, int count)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (hub.RegistrationCount != count)
        {
            await Task.Delay(10, patience.Token);
        }
    }
}
