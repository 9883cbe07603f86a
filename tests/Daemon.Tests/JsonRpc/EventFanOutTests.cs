using System.Net.WebSockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Daemon.JsonRpc;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>Many subscribers on one daemon, and a subscriber that stops reading.</summary>
public sealed class EventFanOutTests
{
    private const int QueueOverflowEventId = 3005;

    [Fact]
    public async Task ThousandWebSocketSubscribers_AllReceiveTheChange()
    {
        const int count = 1000;
        // Above the device's default JsonRpc:MaxConnections (512, sized for the unit's heap limit; this host has none).
        await using BridgeHost host = await BridgeHost.StartAsync("JsonRpc:MaxConnections=1024");
        var sockets = new ClientWebSocket[count];
        try
        {
            using var gate = new SemaphoreSlim(32);
            await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    sockets[i] = await host.ConnectAsync();
                    Assert.Equal(Requests.Result("0", (uint)i), await sockets[i].CallAsync(Requests.Register("client.events." + i, (uint)i)));
                }
                finally
                {
                    gate.Release();
                }
            }));

            Assert.Equal(count, host.Services.GetRequiredService<EventHub>().SessionCount);
            host.Services.GetRequiredService<EventHub>().Publish(States.Change(200));

            string[] received = await Task.WhenAll(sockets.Select(socket => socket.ReceiveTextAsync(TimeSpan.FromSeconds(60))));
            for (int i = 0; i < count; i++)
            {
                Assert.Equal($$$"""{"jsonrpc":"2.0","method":"client.events.{{{i}}}.provisioningchange","params":{"status":200}}""", received[i]);
            }
        }
        finally
        {
            foreach (ClientWebSocket? socket in sockets)
            {
                socket?.Dispose();
            }
        }
    }

    [Fact]
    public async Task StalledSubscriber_DoesNotDelayOthers_IsClosed1008()
    {
        await using BridgeHost host = await BridgeHost.StartAsync("JsonRpc:OutgoingQueueCapacity=4");
        EventHub hub = host.Services.GetRequiredService<EventHub>();

        // Three registrations with the longest ids: each change is three large frames for the stalled socket, which
        // fill the kernel's socket buffers in fewer rounds, and then overflow its queue of 4 at the next change.
        using ClientWebSocket stalled = await host.ConnectAsync();
        for (int r = 0; r < 3; r++)
        {
            string longestId = $"stalled.{r}.".PadRight(JsonRpcDispatcher.MaxEventIdLength, 's');
            Assert.Equal(Requests.Result("0"), await stalled.CallAsync(Requests.Register(longestId)));
        }

        var readers = new ClientWebSocket[10];
        for (int i = 0; i < readers.Length; i++)
        {
            readers[i] = await host.ConnectAsync();
            await readers[i].CallAsync(Requests.Register("reader." + i));
        }

        try
        {
            int round = 0;
            while (!host.Logs.GetSnapshot().Any(r => r.Id.Id == QueueOverflowEventId))
            {
                round++;
                Assert.True(round <= 50_000, "The stalled subscriber's queue never overflowed.");
                hub.Publish(States.Change(round));

                // Each reader gets each change while the stalled socket holds its frames unread.
                string[] frames = await Task.WhenAll(readers.Select(r => r.ReceiveTextAsync()));
                for (int i = 0; i < readers.Length; i++)
                {
                    Assert.Equal($$$"""{"jsonrpc":"2.0","method":"reader.{{{i}}}.provisioningchange","params":{"status":{{{round}}}}}""", frames[i]);
                }
            }

            // Reading now lets the daemon's close frame through, after the frames that were already sent.
            WebSocketMessageType type;
            do
            {
                (type, _) = await stalled.ReceiveAsync();
            }
            while (type == WebSocketMessageType.Text);

            Assert.Equal(WebSocketCloseStatus.PolicyViolation, stalled.CloseStatus);

            // The others are still served.
            hub.Publish(States.Change(999));
            foreach (ClientWebSocket reader in readers)
            {
                Assert.Contains("{\"status\":999}", await reader.ReceiveTextAsync(), StringComparison.Ordinal);
            }
        }
        finally
        {
            foreach (ClientWebSocket reader in readers)
            {
                reader.Dispose();
            }
        }
    }

    [Fact]
    public async Task ClientThatSendsWithoutReading_ClosedWhenItsQueueOverflows()
    {
        await using BridgeHost host = await BridgeHost.StartAsync("JsonRpc:OutgoingQueueCapacity=2");
        using ClientWebSocket socket = await host.ConnectAsync();
        byte[] request = Encoding.UTF8.GetBytes(Requests.Call("Controller.1.status"));

        // Bounded by time, not by a count: the kernel grows a loopback connection's buffers (here up to 32 MiB), and
        // the unread answers of 200,000 requests once fitted in them, so the daemon never saw a client that stopped.
        var sending = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            // Pipelined requests whose answers are never read: the answers pile up, then the socket is closed.
            while (sending.Elapsed < TimeSpan.FromMinutes(3) && !host.Logs.GetSnapshot().Any(r => r.Id.Id == QueueOverflowEventId))
            {
                await socket.SendAsync(request, WebSocketMessageType.Text, true, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
            // Sending after the daemon closed may fail; the close status below is what matters.
        }

        Assert.Contains(host.Logs.GetSnapshot(), r => r.Id.Id == QueueOverflowEventId);
        WebSocketMessageType type;
        do
        {
            (type, _) = await socket.ReceiveAsync();
        }
        while (type == WebSocketMessageType.Text);

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
    }
}
