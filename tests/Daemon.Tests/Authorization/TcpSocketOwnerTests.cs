using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Provisioning.Daemon.Authorization;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Authorization;

/// <summary>
/// The owner of a loopback TCP peer: rows of /proc/net/tcp and /proc/net/tcp6 captured on the project machine
/// (2026-12-02, x86-64, kernel 6.18) while a process under uid 4242 held connections to a server of root's, and
/// live connections read from this machine's tables.
/// </summary>
public sealed class TcpSocketOwnerTests
{
    // Server 127.0.0.1:52105 and [::1]:58449. Client sockets of uid 4242: a 127.0.0.1:38598 (AF_INET), b :38606
    // (AF_INET6, v4-mapped, so in tcp6), c [::1]:37484, d :38610 closed by its process before the capture (FIN_WAIT2:
    // uid 0, inode 0).
    private const string Tcp = """
          sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           3: 0100007F:CB89 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 118108 1 0000000002dbf794 100 0 0 10 0
           7: 0100007F:96C6 0100007F:CB89 01 00000000:00000000 00:00000000 00000000  4242        0 119867 2 00000000d7068567 20 0 0 10 -1
           8: 0100007F:96D2 0100007F:CB89 05 00000000:00000000 03:0000173E 00000000     0        0 0 3 00000000a99d5573
          12: 0100007F:CB89 0100007F:96C6 01 00000000:00000000 00:00000000 00000000     0        0 118112 1 000000000f026c31 20 0 0 10 -1
          15: 0100007F:CB89 0100007F:96CE 01 00000000:00000000 00:00000000 00000000     0        0 119868 1 00000000a156e858 20 0 0 10 -1
          16: 0100007F:CB89 0100007F:96D2 08 00000000:00000001 00:00000000 00000000     0        0 119870 1 000000002ec09c61 20 4 0 10 -1

        """;

    private const string Tcp6 = """
          sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
           0: 00000000000000000000000001000000:E451 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 118109 1 0000000012af49f3 100 0 0 10 0
           1: 0000000000000000FFFF00000100007F:96CE 0000000000000000FFFF00000100007F:CB89 01 00000000:00000000 00:00000000 00000000  4242        0 119869 2 000000008e1f6c47 20 0 0 10 -1
           2: 00000000000000000000000001000000:926C 00000000000000000000000001000000:E451 01 00000000:00000000 00:00000000 00000000  4242        0 119871 2 00000000b780af50 20 0 0 10 -1
           4: 00000000000000000000000001000000:E451 00000000000000000000000001000000:926C 01 00000000:00000000 00:00000000 00000000     0        0 119873 1 000000000b81994f 20 0 0 10 -1

        """;

    private static readonly IPEndPoint Server4 = new(IPAddress.Loopback, 52105);
    private static readonly IPEndPoint Server6 = new(IPAddress.IPv6Loopback, 58449);

    [Theory]
    [InlineData(38598, false, 4242u)]
    [InlineData(38606, false, null)]
    [InlineData(38606, true, 4242u)]
    [InlineData(38610, false, null)]
    [InlineData(12345, false, null)]
    public void CapturedTables_PeerOfTheIpv4Server(int clientPort, bool inTcp6, uint? owner)
    {
        var peer = new IPEndPoint(IPAddress.Loopback, clientPort);
        using var table = new MemoryStream(Encoding.ASCII.GetBytes(inTcp6 ? Tcp6 : Tcp));
        Assert.Equal(owner, TcpSocketOwner.FindIn(table, TcpSocketOwner.RowKey(peer, inTcp6), TcpSocketOwner.RowKey(Server4, inTcp6)));
    }

    [Fact]
    public void CapturedTables_PeerOfTheIpv6Server()
    {
        using var table = new MemoryStream(Encoding.ASCII.GetBytes(Tcp6));
        var peer = new IPEndPoint(IPAddress.IPv6Loopback, 37484);
        Assert.Equal(4242u, TcpSocketOwner.FindIn(table, TcpSocketOwner.RowKey(peer, asIpv6: true), TcpSocketOwner.RowKey(Server6, asIpv6: true)));
    }

    [Fact]
    public void CapturedTable_TheServersOwnRowIsNeverThePeers()
    {
        // Row 12 is root's server end of connection a: asking with the ends swapped must not find it.
        using var table = new MemoryStream(Encoding.ASCII.GetBytes(Tcp));
        var peer = new IPEndPoint(IPAddress.Loopback, 38598);
        Assert.Null(TcpSocketOwner.FindIn(table, TcpSocketOwner.RowKey(Server4, false), TcpSocketOwner.RowKey(new IPEndPoint(IPAddress.Loopback, 1), false)));
        table.Position = 0;
        Assert.Equal(4242u, TcpSocketOwner.FindIn(table, TcpSocketOwner.RowKey(peer, false), TcpSocketOwner.RowKey(Server4, false)));
    }

    [Fact]
    public void Table_RowsSplitAcrossReadsAndOverlongLines_AreRead()
    {
        string filler = new('x', 40_000);
        string content = Tcp.Replace("   7:", filler + "\n   7:", StringComparison.Ordinal);
        using var table = new OneByteAtATimeStream(Encoding.ASCII.GetBytes(content));
        var peer = new IPEndPoint(IPAddress.Loopback, 38598);
        Assert.Equal(4242u, TcpSocketOwner.FindIn(table, TcpSocketOwner.RowKey(peer, false), TcpSocketOwner.RowKey(Server4, false)));
    }

    [RootTheory]
    [InlineData("127.0.0.1")]
    [InlineData("::1")]
    public async Task LiveConnection_OfAnotherUid_IsFoundWithItsUid(string serverAddress)
    {
        using var listener = new TcpListener(IPAddress.Parse(serverAddress), 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        string target = serverAddress.Contains(':', StringComparison.Ordinal) ? $"TCP6:[{serverAddress}]:{port}" : $"TCP4:{serverAddress}:{port}";
        using Process client = StartAs(4242, "socat", "-", target);
        try
        {
            // Bounded, and a client that could not connect (socat missing, refused) fails the test with its error.
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            Task<Socket> accepting = listener.AcceptSocketAsync(timeout.Token).AsTask();
            Task exited = client.WaitForExitAsync(timeout.Token);
            if (await Task.WhenAny(accepting, exited) == exited && exited.IsCompletedSuccessfully && !accepting.IsCompletedSuccessfully)
            {
                Assert.Fail($"socat as uid 4242 exited {client.ExitCode} without connecting: {await client.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken)}");
            }

            using Socket accepted = await accepting;
            uint? owner = TcpSocketOwner.Find((IPEndPoint)accepted.LocalEndPoint!, (IPEndPoint)accepted.RemoteEndPoint!);
            Assert.Equal(4242u, owner);
        }
        finally
        {
            client.Kill();
            await client.WaitForExitAsync(TestContext.Current.CancellationToken);
        }
    }

    [RootFact]
    public async Task LiveConnection_WhosePeerHasClosed_IsNotFound_NeverRoot()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndpoint, TestContext.Current.CancellationToken);
        using Socket accepted = await listener.AcceptSocketAsync(TestContext.Current.CancellationToken);
        var local = (IPEndPoint)accepted.LocalEndPoint!;
        var remote = (IPEndPoint)accepted.RemoteEndPoint!;
        Assert.Equal(0u, TcpSocketOwner.Find(local, remote));

        // Closed by its process: FIN_WAIT2 (then TIME_WAIT), listed with uid 0 and no inode.
        client.Close();
        Assert.Null(TcpSocketOwner.Find(local, remote));
    }

    private static Process StartAs(uint uid, params string[] command)
    {
        var start = new ProcessStartInfo("setpriv") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (string arg in (string[])[$"--reuid={uid}", $"--regid={uid}", "--clear-groups", "--", .. command])
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    /// <summary>Hands out one byte per read, as no real file does, so every line crosses reads.</summary>
    private sealed class OneByteAtATimeStream(byte[] content) : MemoryStream(content)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1));
    }
}
