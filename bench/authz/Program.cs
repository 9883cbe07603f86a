using System.Net;
using System.Net.Sockets;
using System.Reflection;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.NoEmit;

BenchmarkRunner.Run<Provisioning.Bench.Authz.CallerLookupBench>(
    DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(InProcessNoEmitToolchain.Instance)),
    args);

namespace Provisioning.Bench.Authz
{
    /// <summary>
    /// What identifying a loopback TCP caller costs the bridge once per connection (TcpSocketOwner.Find: read
    /// /proc/net/tcp, and /proc/net/tcp6 when the peer is not in the first), against what the connection itself
    /// costs (connect, accept, close with RST so no TIME_WAIT rows pile up), with more or fewer other sockets open.
    /// </summary>
    // BenchmarkDotNet owns the lifetime: the sockets are closed in [GlobalCleanup], not through IDisposable.
#pragma warning disable CA1001
    [MemoryDiagnoser]
    public class CallerLookupBench
    {
        private static readonly Func<IPEndPoint, IPEndPoint, uint?> Find = Type
            .GetType("Provisioning.Daemon.Authorization.TcpSocketOwner, provisioningd", throwOnError: true)!
            .GetMethod("Find", BindingFlags.Public | BindingFlags.Static)!
            .CreateDelegate<Func<IPEndPoint, IPEndPoint, uint?>>();

        private readonly List<Socket> _open = [];
        private Socket _listener = null!;
        private IPEndPoint _local = null!;
        private IPEndPoint _remote = null!;

        /// <summary>Other established loopback connections (two table rows each) besides the one looked up.</summary>
        [Params(0, 100, 1000)]
        public int OtherConnections { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen(4096);
            for (int i = 0; i <= OtherConnections; i++)
            {
                (Socket client, Socket server) = Connect();
                _open.Add(client);
                _open.Add(server);
                _local = (IPEndPoint)server.LocalEndPoint!;
                _remote = (IPEndPoint)server.RemoteEndPoint!;
            }

            if (Find(_local, _remote) is null)
            {
                throw new InvalidOperationException("The connection's owner was not found.");
            }
        }

        [GlobalCleanup]
        public void Cleanup()
        {
            _open.ForEach(s => s.Dispose());
            _listener.Dispose();
        }

        [Benchmark(Baseline = true, Description = "connect + accept + close (RST)")]
        public void Connection()
        {
            (Socket client, Socket server) = Connect();
            client.LingerState = new LingerOption(true, 0);
            client.Dispose();
            server.Dispose();
        }

        [Benchmark(Description = "owner lookup in /proc/net/tcp")]
        public uint? Lookup() => Find(_local, _remote);

        private (Socket Client, Socket Server) Connect()
        {
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(_listener.LocalEndPoint!);
            return (client, _listener.Accept());
        }
    }
#pragma warning restore CA1001
}
