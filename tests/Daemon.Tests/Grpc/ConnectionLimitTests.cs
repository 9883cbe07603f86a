using Provisioning.Client;
using System.Net.Sockets;
using Provisioning.Daemon.Tests.Authorization;
using Provisioning.Daemon.Tests.Infrastructure;

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
                idle.Add(await ConnectAndBeCountedAsync(daemon.SocketPath));
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

    [RootFact]
    public async Task Socket_OneUidHoldingItsShare_TheUidsNextConnectionIsClosedWhileOthersAreServed()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(
            withSimulator: false,
            settings: new Dictionary<string, string?>
            {
                ["Grpc:MaxConnections"] = "6",
                ["Grpc:MaxConnectionsPerUid"] = "2",
                ["Grpc:SocketGroup"] = "65534", // the relay's uid opens the socket through its group
            });
        await using OtherUserRelay relay = await OtherUserRelay.StartAsync(PolicyCaller.Other, "UNIX-CONNECT:" + daemon.SocketPath);
        List<Socket> held = [];
        try
        {
            // The relay's own start-up probe may still hold a place for a moment: the uid's two are taken once both are counted.
            while (held.Count < 2)
            {
                Socket? counted = await TryConnectAndBeCountedAsync(relay.SocketPath);
                if (counted is null)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken);
                    continue;
                }

                held.Add(counted);
            }

            Assert.Null(await TryConnectAndBeCountedAsync(relay.SocketPath));
            using var client = daemon.CreateClient();
            Assert.Equal(daemon.DeviceId, await client.GetIdAsync(TestContext.Current.CancellationToken)); // root, not capped
        }
        finally
        {
            held.ForEach(socket => socket.Dispose());
        }
    }

    /// <summary>
    /// Connects and waits for the server's SETTINGS frame, which it sends only once its connection limit has counted
    /// the connection: Kestrel runs each accepted connection's middleware on the thread pool, so without the wait a
    /// connection opened after another may be counted before it. Then the connection stays idle (no stream).
    /// </summary>
    private static async Task<Socket> ConnectAndBeCountedAsync(string path) =>
        await TryConnectAndBeCountedAsync(path) ?? throw new InvalidOperationException("the daemon closed a connection within its limit");

    /// <summary>A connection the daemon counted (its SETTINGS came), or null when the daemon closed it first.</summary>
    private static async Task<Socket?> TryConnectAndBeCountedAsync(string path)
    {
        Socket socket = await ConnectAsync(path);
        byte[] prefaceAndSettings = [.. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8, 0, 0, 0, 4, 0, 0, 0, 0, 0];
        await socket.SendAsync(prefaceAndSettings, SocketFlags.None);
        byte[] frameHeader = new byte[9];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        int received = 0;
        while (received < frameHeader.Length)
        {
            int read = await socket.ReceiveAsync(frameHeader.AsMemory(received), SocketFlags.None, timeout.Token);
            if (read == 0)
            {
                socket.Dispose();
                return null;
            }

            received += read;
        }

        Assert.Equal(4, frameHeader[3]); // SETTINGS
        return socket;
    }

    private static async Task<Socket> ConnectAsync(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
        return socket;
    }
}
