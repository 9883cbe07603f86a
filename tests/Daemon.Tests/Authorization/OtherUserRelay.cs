using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Net.WebSockets;
using Grpc.Net.Client;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Authorization;

/// <summary>
/// socat run as another uid and gid (setpriv, no supplementary groups): it listens on a Unix socket of its own and
/// opens one connection to the daemon per connection it accepts, so the daemon's peer is a socket that uid owns.
/// The test talks to the relay with ordinary clients (HttpClient, ClientWebSocket, GrpcChannel).
/// </summary>
internal sealed class OtherUserRelay : IAsyncDisposable
{
    private readonly Process _process;
    private readonly TempDirectory _folder;
    private readonly List<HttpMessageInvoker> _invokers = [];

    private OtherUserRelay(Process process, TempDirectory folder, string socketPath)
    {
        _process = process;
        _folder = folder;
        SocketPath = socketPath;
    }

    /// <summary>Where the test connects; each connection reaches the daemon as the relay's uid.</summary>
    public string SocketPath { get; }

    /// <param name="target">socat's address of the daemon, e.g. <c>TCP4:127.0.0.1:9998</c> or <c>UNIX-CONNECT:/path</c>.</param>
    public static async Task<OtherUserRelay> StartAsync(PolicyCaller caller, string target)
    {
        var folder = new TempDirectory();
        File.SetUnixFileMode(folder.Path, (UnixFileMode)0x1FF);
        string socketPath = folder.Combine("relay.sock");
        var start = new ProcessStartInfo("setpriv") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string arg in (string[])[
            $"--reuid={caller.Uid.ToString(CultureInfo.InvariantCulture)}",
            $"--regid={caller.Gid.ToString(CultureInfo.InvariantCulture)}",
            "--clear-groups", "--", "socat", $"UNIX-LISTEN:{socketPath},fork", target])
        {
            start.ArgumentList.Add(arg);
        }

        Process process = Process.Start(start)!;
        var relay = new OtherUserRelay(process, folder, socketPath);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // socat binds, then listens: the file appears before connections are accepted, so wait for a connection.
        while (!await AcceptsAsync(socketPath))
        {
            if (process.HasExited)
            {
                string error = await process.StandardError.ReadToEndAsync();
                await relay.DisposeAsync();
                throw new InvalidOperationException($"socat as uid {caller.Uid} exited: {error}");
            }

            await Task.Delay(20, timeout.Token);
        }

        return relay;
    }

    private static async Task<bool> AcceptsAsync(string socketPath)
    {
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await probe.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>An HTTP handler whose every connection goes through the relay.</summary>
    public SocketsHttpHandler CreateHandler() => new()
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(SocketPath), cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };

    public HttpClient CreateHttpClient() => new(CreateHandler()) { BaseAddress = new Uri("http://localhost/"), Timeout = TimeSpan.FromSeconds(30) };

    public async Task<ClientWebSocket> ConnectWebSocketAsync(string path = "jsonrpc")
    {
        var socket = new ClientWebSocket();
        socket.Options.AddSubProtocol("notification");
        var invoker = new HttpMessageInvoker(CreateHandler());
        _invokers.Add(invoker);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(new Uri("ws://localhost/" + path), invoker, timeout.Token);
        return socket;
    }

    public GrpcChannel CreateGrpcChannel() =>
        GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions { HttpHandler = CreateHandler() });

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        _invokers.ForEach(invoker => invoker.Dispose());
        _folder.Dispose();
    }
}
