using Provisioning.Client;
using System.Net.Sockets;
using Provisioning.Daemon.Tests.Authorization;
using Provisioning.Daemon.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Testing;
using Provisioning.Daemon.Common.Logging;
using Provisioning.Daemon.Grpc;

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
    /// Callers that open streams and reset them at once, faster than the answers drain (HTTP/2 "rapid reset"): Kestrel
    /// aborts such a connection, and may abandon it without its handling ever ending ("application never
    /// completed"). Before, a connection's place was given back only when its handling ended: seconds of this took
    /// every place for good, root's too, and Kestrel logged a critical line for each aborted connection, hundreds of
    /// thousands a minute.
    /// </summary>
    [Fact]
    public async Task Socket_RapidResetCallers_GiveBackEveryPlace_AndKestrelsLinesStayWithinTheThrottle()
    {
        await using GrpcTestDaemon daemon = await GrpcTestDaemon.StartAsync(
            withSimulator: false,
            configureServices: services => services.AddFakeLogging());
        int places = new GrpcOptions().MaxConnections;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => ResetStreamsAsync(daemon.SocketPath, TimeSpan.FromSeconds(5)))));

        // Every place comes back once the daemon sees the flood's connections closed.
        List<Socket> held = [];
        try
        {
            var patience = System.Diagnostics.Stopwatch.StartNew();
            while (held.Count < places && patience.Elapsed < TimeSpan.FromSeconds(30))
            {
                Socket? counted = null;
                try
                {
                    counted = await TryConnectAndBeCountedAsync(daemon.SocketPath);
                }
                catch (SocketException)
                {
                    // Closed before its preface went out: refused.
                }

                if (counted is null)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken);
                    continue;
                }

                held.Add(counted);
            }

            Assert.Equal(places, held.Count);
        }
        finally
        {
            held.ForEach(socket => socket.Dispose());
        }

        Assert.All(
            daemon.Services.GetFakeLogCollector().GetSnapshot()
                .Where(r => r.Category!.StartsWith("Microsoft.AspNetCore.Server.Kestrel", StringComparison.Ordinal))
                .GroupBy(r => (r.Category, r.Id.Id)),
            kind => Assert.InRange(kind.Count(), 1, LogThrottle.Burst));
    }

    /// <summary>Streams opened and reset in batches of 50 on one connection after another, for the time given.</summary>
    private static async Task ResetStreamsAsync(string path, TimeSpan duration)
    {
        byte[] headerBlock = [0x83, 0x86, .. Literal(":path", "/grpc.health.v1.Health/Check"), .. Literal(":authority", "localhost"),
            .. Literal("content-type", "application/grpc"), .. Literal("te", "trailers")];
        byte[] start = [.. "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8, .. Frame(4, 0, 0, []), .. Frame(4, 1, 0, [])];
        byte[] drained = new byte[1 << 20];
        using var over = new CancellationTokenSource(duration);
        while (!over.IsCancellationRequested)
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), over.Token);
                await socket.SendAsync(start, SocketFlags.None, over.Token);
                for (int stream = 1; !over.IsCancellationRequested; stream += 100)
                {
                    byte[] batch = [.. Enumerable.Range(0, 50).SelectMany(i => (byte[])[
                        .. Frame(1, 4, stream + (2 * i), headerBlock), .. Frame(3, 0, stream + (2 * i), [0, 0, 0, 8])])];
                    await socket.SendAsync(batch, SocketFlags.None, over.Token);
                    if (socket.Available > 0 && socket.Receive(drained) == 0)
                    {
                        break;
                    }
                }
            }
            catch (SocketException)
            {
                // Closed by the daemon: the next connection.
            }
            catch (OperationCanceledException) when (over.IsCancellationRequested)
            {
                // The time is up, a send or connect still waiting on the daemon.
            }
        }

        static byte[] Literal(string name, string value) =>
            [0, (byte)name.Length, .. System.Text.Encoding.ASCII.GetBytes(name), (byte)value.Length, .. System.Text.Encoding.ASCII.GetBytes(value)];

        static byte[] Frame(byte type, byte flags, int stream, byte[] payload) =>
            [0, (byte)(payload.Length >> 8), (byte)payload.Length, type, flags, (byte)(stream >> 24), (byte)(stream >> 16), (byte)(stream >> 8), (byte)stream, .. payload];
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
