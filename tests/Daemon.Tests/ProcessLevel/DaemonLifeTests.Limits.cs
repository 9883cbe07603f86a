using System.Net;
using System.Net.Sockets;
using System.Text;
using Grpc.Core;
using Grpc.Net.Client;
using Provisioning.BackOfficeSimulator;
using Provisioning.Client;
using Provisioning.Contracts.V1;
using Provisioning.Daemon.Tests.Grpc;
using ApiState = Provisioning.Contracts.V1.State;
using Provisioning.Daemon.Common.Logging;
using Provisioning.Daemon.Grpc;
using Provisioning.Daemon.JsonRpc;
using Provisioning.Daemon.Tests.Deploy;
using Provisioning.Daemon.Tests.Infrastructure;
using Provisioning.Daemon.Tests.JsonRpc;
using Provisioning.Daemon.Tests.State;

namespace Provisioning.Daemon.Tests.ProcessLevel;

public sealed partial class DaemonLifeTests
{
    /// <summary>
    /// docs/backoffice-protocol.md allows 16 keys of 64 KiB per label and answers up to BackOffice:MaxResponseBytes
    /// (16 MiB). An answer near that size (11 labels: 15.4 MB) is read, stored encrypted and restored after a restart
    /// under the unit's environment and its GC heap limit. Before, keys went through UTF-16 strings and copies: an
    /// answer of 4 such labels (5.6 MB) made the daemon abort at the heap limit, and again at every restart.
    /// </summary>
    [Fact]
    public async Task UnderTheUnitsEnvironment_AnAnswerNearTheProtocolsLargest_IsStoredAndRestored()
    {
        string[] labels = [.. Enumerable.Range(0, 11).Select(i => $"label{i}")];
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions
        {
            DefaultLabels = labels,
            KeysPerLabel = 16,
            KeySize = 64 * 1024,
        });
        string keyEncryptionKey = KeyEncryptionSamples.WriteKeyFile(_temp.Combine("kek"));
        string[] args = [.. Arguments(simulator), $"--State:KeyEncryptionKeyFile={keyEncryptionKey}"];
        byte[] key;

        await using (var first = DaemonProcess.Start(args, DeployFiles.ServiceEnvironment()))
        {
            await first.WaitUntilProvisionedAndListeningAsync();
            using var client = new ProvisioningClient(new ProvisioningClientOptions { SocketPath = SocketPath });
            key = (await client.GetKeyAsync(labels[^1], TestContext.Current.CancellationToken)).Key.ToByteArray();
            await first.SignalAsync("TERM");
            Assert.Equal(0, await first.WaitForExitAsync());
            Assert.DoesNotContain(first.Lines, line => line.Contains("out of memory", StringComparison.Ordinal));
        }

        Assert.Equal(64 * 1024, key.Length);
        await using (var second = DaemonProcess.Start([.. args, "--Boot:MaxDelay=1.00:00:00"], DeployFiles.ServiceEnvironment()))
        {
            string restored = await second.WaitForLineAsync(line => line.Contains("Restored", StringComparison.Ordinal) && line.Contains("phase", StringComparison.Ordinal));
            Assert.Contains("status 200, 11 labels", restored, StringComparison.Ordinal);
            await second.WaitForLineAsync(line => line.Contains("Application started", StringComparison.Ordinal));
            using var client = new ProvisioningClient(new ProvisioningClientOptions { SocketPath = SocketPath });
            Assert.Equal(key, (await client.GetKeyAsync(labels[^1], TestContext.Current.CancellationToken)).Key.ToByteArray());
            await second.SignalAsync("TERM");
            Assert.Equal(0, await second.WaitForExitAsync());
        }

        Assert.Single(simulator.Requests, r => r.Path.EndsWith("/provision", StringComparison.Ordinal));
    }

    /// <summary>
    /// Any local program may open the bridge's connections, and any member of the socket's group the API's: with
    /// both full to their default limits (every bridge connection a WebSocket, every registration with an id of the
    /// longest form, every API connection full of WatchState streams) the daemon stays inside the unit's GC heap
    /// limit, refuses what is over them, and a run's end still reaches every registration and every watch. With the
    /// limits of before (4,096 bridge connections; 256 API connections of 100 streams) the daemon reached the heap
    /// limit and aborted.
    /// </summary>
    [RootFact]
    public async Task UnderTheUnitsEnvironment_BothApisFullToTheirDefaultLimits_StayUpAndReachEveryCaller()
    {
        var limits = new JsonRpcOptions();
        var api = new GrpcOptions();
        int registrationsEach = limits.MaxRegistrations / limits.MaxConnections;
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions());
        await using var daemon = DaemonProcess.Start(Arguments(simulator), DeployFiles.ServiceEnvironment());
        await daemon.WaitUntilProvisionedAndListeningAsync();
        Uri bridge = await BridgeAddressAsync(daemon);
        const string P = "Provisioning.1.";

        var clients = new List<ThunderNativeClient>();
        var channels = new List<GrpcChannel>();
        var watches = new List<AsyncServerStreamingCall<ApiState>>();
        try
        {
            for (int c = 0; c < api.MaxConnections; c++)
            {
                channels.Add(GrpcChannels.ForSocket(SocketPath, oneConnection: true));
                var service = new Provisioning.Contracts.V1.Provisioning.ProvisioningClient(channels[^1]);
                for (int w = 0; w < api.MaxStreamsPerConnection; w++)
                {
                    AsyncServerStreamingCall<ApiState> watch = service.WatchState(new WatchStateRequest());
                    watches.Add(watch);
                    Assert.True(await watch.ResponseStream.MoveNext(TestContext.Current.CancellationToken));
                }
            }

            using (GrpcChannel extra = GrpcChannels.ForSocket(SocketPath, oneConnection: true))
            {
                RpcException refused = await Assert.ThrowsAsync<RpcException>(
                    () => new Provisioning.Contracts.V1.Provisioning.ProvisioningClient(extra).GetIdAsync(new GetIdRequest()).ResponseAsync);
                Assert.Equal(StatusCode.Unavailable, refused.StatusCode);
            }

            for (int c = 0; c < limits.MaxConnections; c++)
            {
                ThunderNativeClient client = await ThunderNativeClient.ConnectAsync(bridge);
                clients.Add(client);
                for (int r = 0; r < registrationsEach; r++)
                {
                    Assert.EndsWith("\"result\":0}", await client.InvokeAsync(P + "register", Registration(LongestId(c, r))), StringComparison.Ordinal);
                }
            }

            // Over the limits: one more registration, one more connection.
            Assert.Contains("JsonRpc:MaxRegistrations.", await clients[0].InvokeAsync(P + "register", Registration(LongestId(0, registrationsEach))), StringComparison.Ordinal);
            await Assert.ThrowsAnyAsync<Exception>(() => ThunderNativeClient.ConnectAsync(bridge));
            Assert.Contains("-32602", await clients[0].InvokeAsync(P + "register", Registration(new string('i', JsonRpcDispatcher.MaxEventIdLength + 1))), StringComparison.Ordinal);

            // A run's end reaches every registration of every connection.
            Assert.EndsWith("\"result\":null}", await clients[0].InvokeAsync(P + "provision"), StringComparison.Ordinal);
            for (int c = 0; c < clients.Count; c++)
            {
                for (int r = 0; r < registrationsEach; r++)
                {
                    Assert.EndsWith(
                        """.provisioningchange","params":{"status":200}}""",
                        await clients[c].NextEventAsync(LongestId(c, r), DaemonUnderTest.Patience),
                        StringComparison.Ordinal);
                }
            }

            using var patience = new CancellationTokenSource(DaemonUnderTest.Patience);
            foreach (AsyncServerStreamingCall<ApiState> watch in watches)
            {
                do
                {
                    Assert.True(await watch.ResponseStream.MoveNext(patience.Token), "a watch ended before the run's end");
                }
                while (watch.ResponseStream.Current.Change != Change.RunEnded);
            }
        }
        finally
        {
            watches.ForEach(watch => watch.Dispose());
            channels.ForEach(channel => channel.Dispose());
            foreach (ThunderNativeClient client in clients)
            {
                await client.DisposeAsync();
            }
        }

        await daemon.SignalAsync("TERM");
        Assert.Equal(0, await daemon.WaitForExitAsync());
    }

    /// <summary>
    /// Callers that hold what Kestrel buffers for them: every API call with a large header and a request message
    /// that stops one part short of its declared length, every bridge WebSocket with a large header. At Kestrel's
    /// defaults (32 KB of headers, 1 MiB of flow-control window per HTTP/2 connection) and the earlier 64 KiB message
    /// limit this made the daemon reach the unit's GC heap limit and abort; now such headers are refused (431, or the
    /// HTTP/2 connection closed), a message over 4 KiB is refused from its length prefix, and with the largest that
    /// is accepted held on every connection the daemon still runs a provisioning and answers.
    /// </summary>
    [RootTheory]
    [InlineData(32_000, 64 * 1024, 60_000, false)] // what Kestrel's defaults and the earlier message limit accepted
    [InlineData(7_800, GrpcApiExtensions.MaxRequestMessageBytes, GrpcApiExtensions.MaxRequestMessageBytes - 1, true)]
    public async Task UnderTheUnitsEnvironment_CallersHoldingLargeHeadersAndUnfinishedMessages_CannotExhaustTheHeap(
        int headerBytes, int declaredLength, int sentLength, bool accepted)
    {
        var limits = new JsonRpcOptions();
        var api = new GrpcOptions();
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions());
        await using var daemon = DaemonProcess.Start(Arguments(simulator), DeployFiles.ServiceEnvironment());
        await daemon.WaitUntilProvisionedAndListeningAsync();
        Uri bridge = await BridgeAddressAsync(daemon);
        string pad = new('p', headerBytes);
        var hold = new TaskCompletionSource();
        var handlers = new List<HttpMessageInvoker>();
        var sockets = new List<System.Net.WebSockets.ClientWebSocket>();
        try
        {
            // All API connections but one (kept for a caller), each full of calls.
            var calls = new List<Task<HttpResponseMessage>>();
            var ready = new List<Task>();
            for (int c = 0; c < api.MaxConnections - 1; c++)
            {
                handlers.Add(new HttpMessageInvoker(GrpcChannels.HandlerForSocket(SocketPath, oneConnection: true)));
                for (int s = 0; s < api.MaxStreamsPerConnection; s++)
                {
                    var content = new UnfinishedGrpcMessage(declaredLength, sentLength, hold.Task);
                    calls.Add(SendGetKeyAsync(handlers[^1], pad, content));
                    ready.Add(Task.WhenAny(content.Sent, calls[^1]));
                }
            }

            await Task.WhenAll(ready);
            if (!accepted)
            {
                // Refused: each call ends (the connection closed, or an error status) without its message read.
                await Task.WhenAll(calls).ContinueWith(_ => { }, TaskScheduler.Default).WaitAsync(DaemonUnderTest.Patience);
            }

            // All bridge connections but one (kept for the run below), each a WebSocket.
            for (int c = 0; c < limits.MaxConnections - 1; c++)
            {
                var socket = new System.Net.WebSockets.ClientWebSocket();
                sockets.Add(socket);
                socket.Options.AddSubProtocol("json");
                socket.Options.SetRequestHeader("X-Pad", pad);
                bool opened = await socket.ConnectAsync(new UriBuilder(bridge) { Scheme = "ws", Path = "jsonrpc" }.Uri, TestContext.Current.CancellationToken)
                    .ContinueWith(t => t.IsCompletedSuccessfully, TaskScheduler.Default);
                Assert.Equal(accepted, opened);
            }

            using (var http = new HttpClient { BaseAddress = bridge })
            using (var content = new StringContent("""{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.provision"}"""))
            {
                using HttpResponseMessage response = await http.PostAsync("jsonrpc", content, TestContext.Current.CancellationToken);
                Assert.EndsWith("\"result\":null}", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
            }

            await daemon.WaitForLineAsync(line => line.Contains("started by Caller ended: provisioned", StringComparison.Ordinal));
            using var client = new ProvisioningClient(new ProvisioningClientOptions { SocketPath = SocketPath });
            Assert.Equal(_deviceId, await client.GetIdAsync(TestContext.Current.CancellationToken));
            if (accepted)
            {
                Assert.All(calls, call => Assert.False(call.IsCompleted, "the daemon ended a call that was still sending its message"));
            }
        }
        finally
        {
            hold.TrySetResult();
            sockets.ForEach(socket => socket.Dispose());
            handlers.ForEach(handler => handler.Dispose());
        }

        await daemon.SignalAsync("TERM");
        Assert.Equal(0, await daemon.WaitForExitAsync());
        Assert.DoesNotContain(daemon.Lines, line => line.Contains("out of memory", StringComparison.Ordinal));
    }

    /// <summary>A GetKey call whose request carries a header of the given size and the given content.</summary>
    private static Task<HttpResponseMessage> SendGetKeyAsync(HttpMessageInvoker handler, string pad, HttpContent content)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "http://localhost/provisioning.v1.Provisioning/GetKey")
        {
            Version = System.Net.HttpVersion.Version20,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
            Content = content,
        };
        request.Headers.TryAddWithoutValidation("te", "trailers");
        request.Headers.TryAddWithoutValidation("x-pad", pad);
        return handler.SendAsync(request, CancellationToken.None);
    }

    /// <summary>
    /// A gRPC request message of the declared length of which only the first part is sent (Sent ends then), and
    /// then nothing until the hold ends.
    /// </summary>
    private sealed class UnfinishedGrpcMessage : HttpContent
    {
        private readonly TaskCompletionSource _sent = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly int _declaredLength;
        private readonly int _sentLength;
        private readonly Task _hold;

        public UnfinishedGrpcMessage(int declaredLength, int sentLength, Task hold)
        {
            (_declaredLength, _sentLength, _hold) = (declaredLength, sentLength, hold);
            Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/grpc");
        }

        public Task Sent => _sent.Task;

        protected override async Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context)
        {
            byte[] part = new byte[5 + _sentLength];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(part.AsSpan(1), _declaredLength);
            await stream.WriteAsync(part);
            await stream.FlushAsync();
            _sent.TrySetResult();
            await _hold;
        }
        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }

    private static string Registration(string id) => $$"""{ "event": "provisioningchange", "id": "{{id}}"}""";

    /// <summary>An id of the longest form the bridge accepts, unique per connection and registration.</summary>
    private static string LongestId(int connection, int registration = 0) =>
        $"c{connection}r{registration}.".PadRight(JsonRpcDispatcher.MaxEventIdLength, 'x');
    /// <summary>
    /// A caller that connects in a loop to a full listener is refused each time, but the daemon's log (the journal
    /// under systemd) gets at most a burst of those lines a minute: before, one line each, which also spent journald's
    /// rate limit for the service and with it the daemon's other messages.
    /// </summary>
    [Fact]
    public async Task ConnectionsRefusedInALoop_AreLoggedAtMostABurst()
    {
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions());
        await using var daemon = DaemonProcess.Start([.. Arguments(simulator), "--JsonRpc:MaxConnections=1"]);
        await daemon.WaitUntilProvisionedAndListeningAsync();
        Uri bridge = await BridgeAddressAsync(daemon);
        var endpoint = new IPEndPoint(IPAddress.Loopback, bridge.Port);

        // The one place, taken by a connection that has been answered (so it is counted before the others come).
        using var held = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await held.ConnectAsync(endpoint, TestContext.Current.CancellationToken);
        const string Body = """{"jsonrpc":"2.0","id":1,"method":"Provisioning.1.state"}""";
        byte[] request = Encoding.ASCII.GetBytes($"POST /jsonrpc HTTP/1.1\r\nHost: x\r\nContent-Length: {Body.Length}\r\n\r\n{Body}");
        await held.SendAsync(request, SocketFlags.None, TestContext.Current.CancellationToken);
        Assert.True(await held.ReceiveAsync(new byte[4096], SocketFlags.None, TestContext.Current.CancellationToken) > 0);

        const int Refused = 40;
        for (int i = 0; i < Refused; i++)
        {
            using var extra = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await extra.ConnectAsync(endpoint, timeout.Token);
                Assert.Equal(0, await extra.ReceiveAsync(new byte[64], SocketFlags.None, timeout.Token));
            }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
            {
                // Aborted by the daemon, so fast on loopback that even the connect may see the reset: closed either way.
            }
        }

        await daemon.SignalAsync("TERM");
        Assert.Equal(0, await daemon.WaitForExitAsync());
        string[] refusals = [.. daemon.Lines.Where(line => line.Contains("JSON-RPC connection", StringComparison.Ordinal) && line.Contains("refused", StringComparison.Ordinal))];
        Assert.Equal(LogThrottle.Burst, refusals.Length);
    }
    /// <summary>
    /// An answer of 150,000 one-byte labels (5.6 MB, a third of BackOffice:MaxResponseBytes): before, the daemon
    /// read all of them and aborted at the unit's heap limit, at every start (a crash loop on a device with nothing
    /// stored). Now reading stops at the 65th label, the attempt fails as a malformed answer, and the daemon stays up.
    /// </summary>
    [Fact]
    public async Task UnderTheUnitsEnvironment_AnAnswerOfManyTinyLabels_IsRefusedWithoutExhaustingTheHeap()
    {
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions
        {
            DefaultLabels = [.. Enumerable.Range(0, 150_000).Select(i => $"l{i}")],
            KeysPerLabel = 1,
            KeySize = 1,
        });
        await using var daemon = DaemonProcess.Start(Arguments(simulator), DeployFiles.ServiceEnvironment());

        for (int attempt = 1; attempt <= 2; attempt++)
        {
            string failed = await daemon.WaitForLineAsync(line => line.Contains($"Attempt {attempt} failed", StringComparison.Ordinal));
            Assert.Contains("tokens has more than 64 labels", failed, StringComparison.Ordinal);
        }

        await daemon.SignalAsync("TERM");
        Assert.Equal(0, await daemon.WaitForExitAsync());
    }
}
