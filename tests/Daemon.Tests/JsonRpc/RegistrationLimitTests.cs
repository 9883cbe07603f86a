using System.Net.WebSockets;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Daemon.JsonRpc;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>JsonRpc:MaxRegistrations bounds the registrations of all WebSockets together, and ids are bounded.</summary>
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
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (hub.RegistrationCount != 1)
        {
            await Task.Delay(10, patience.Token);
        }

        Assert.Equal(Requests.Result("0", 6), await second.CallAsync(Requests.Register("d", 6)));
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
}
