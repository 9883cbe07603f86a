using System.Globalization;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Common.Native;
using Provisioning.Daemon.Common.Connections;

namespace Provisioning.Daemon.Grpc;

/// <summary>
/// Adds the API's listener to Kestrel: the sockets systemd passed (LISTEN_FDS) when the daemon is
/// socket-activated, otherwise Grpc:SocketPath. HTTP/2 only, with the peer's credentials read once per connection.
/// </summary>
internal sealed class GrpcKestrelSetup(IOptions<GrpcOptions> options, ILogger<GrpcKestrelSetup> logger)
    : IConfigureOptions<KestrelServerOptions>
{
    private readonly ConnectionLimiter _connections = new(options.Value.MaxConnections);

    public void Configure(KestrelServerOptions kestrel)
    {
        // A server-wide Kestrel limit, but only this listener speaks HTTP/2 (the bridge's are HTTP/1.1).
        kestrel.Limits.Http2.MaxStreamsPerConnection = options.Value.MaxStreamsPerConnection;
        int activated = SystemdSocketCount();
        if (activated > 0)
        {
            kestrel.UseSystemd(ConfigureListener);
            GrpcLog.SocketActivated(logger, activated);
            return;
        }

        kestrel.ListenUnixSocket(options.Value.SocketPath, ConfigureListener);
    }

    private void ConfigureListener(ListenOptions listen)
    {
        listen.Protocols = HttpProtocols.Http2;
        listen.Use(next => async connection =>
        {
            var socket = connection.Features.Get<IConnectionSocketFeature>()?.Socket;
            var peer = new PeerCredentialsFeature(PeerCredentialsReader.Read(socket));
            if (!_connections.TryEnter())
            {
                GrpcLog.ConnectionLimitReached(logger, _connections.Max, peer.Credentials?.Uid, peer.Credentials?.Pid);
                connection.Abort();
                return;
            }

            try
            {
                connection.Features.Set(peer);
                await next(connection);
            }
            finally
            {
                _connections.Exit();
            }
        });
    }

    /// <summary>The number of sockets systemd passed to this very process (LISTEN_PID names it), else 0.</summary>
    internal static int SystemdSocketCount()
    {
        string? pid = Environment.GetEnvironmentVariable("LISTEN_PID");
        string? fds = Environment.GetEnvironmentVariable("LISTEN_FDS");
        return int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int listenPid)
            && listenPid == Environment.ProcessId
            && int.TryParse(fds, NumberStyles.None, CultureInfo.InvariantCulture, out int count)
            ? count
            : 0;
    }
}
