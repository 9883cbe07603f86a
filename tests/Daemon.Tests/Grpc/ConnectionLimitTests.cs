using Provisioning.Client;
using System.Net.Sockets;

namespace Provisioning.Daemon.Tests.Grpc;

/// <summary>A caller that opens connections and leaves them idle cannot exhaust the daemon.</summary>
public sealed class ConnectionLimitTests
{
    [Fact]
    public async Task Socket_MoreIdleConnectionsThanMaxConnections_TheExtraOneIsClosedAndServiceResumesWhenTheyGo()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(
            withSimulator: false,
            settings: new Dictionary<string, string?> { ["Grpc:MaxConnections"] = "4" });
        List<Socket> idle = [];
        try
        {
            for (int i = 0; i < 4; i++)
            {
                idle.Add(await ConnectAsync(daemon.SocketPath));
            }

            using Socket extra = await ConnectAsync(daemon.SocketPath);
            byte[] buffer = new byte[64];
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            Assert.Equal(0, await extra.ReceiveAsync(buffer, SocketFlags.None, timeout.Token));
        }
        finally
        {
            idle.ForEach(socket => socket.Dispose());
        }

        // The daemon frees a place when it sees the idle connections close; until then a new one is refused.
        using var client = daemon.CreateClient();
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            try
            {
                Assert.Equal(daemon.DeviceId, await client.GetIdAsync(patience.Token));
                break;
            }
            catch (DaemonUnreachableException) when (!patience.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), patience.Token);
            }
        }
    }

    private static async Task<Socket> ConnectAsync(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
        return socket;
    }
}
