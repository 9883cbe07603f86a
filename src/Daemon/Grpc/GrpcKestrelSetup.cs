using System.Globalization;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Common.Native;
using Provisioning.Daemon.Common.Limits;
using Provisioning.Daemon.Common.Logging;

namespace Provisioning.Daemon.Grpc;

/// <summary>
/// Adds the API's listener to Kestrel: the sockets systemd passed (LISTEN_FDS) when the daemon is
/// socket-activated, otherwise Grpc:SocketPath. HTTP/2 only, with the peer's credentials read once per connection.
/// </summary>
internal sealed class GrpcKestrelSetup(IOptions<GrpcOptions> options, ILogger<GrpcKestrelSetup> logger)
    : IConfigureOptions<KestrelServerOptions>
{
    /// <summary>HTTP/2's initial flow-control window (RFC 9113, 6.9.2), the smallest Kestrel accepts.</summary>
    private const int SmallestWindow = 65_535;

    private readonly SharedLimit _connections = new(options.Value.MaxConnections, options.Value.MaxConnectionsPerUid);
    private readonly LogThrottle _listenerFullLog = new(2011);
    private readonly LogThrottle _uidShareFullLog = new(2012);

    public void Configure(KestrelServerOptions kestrel)
    {
        // Server-wide Kestrel limits, but only this listener speaks HTTP/2 (the bridge's are HTTP/1.1). The flow-control
        // windows bound what a connection's calls may send before the calls read it, all of which Kestrel buffers in
        // the GC heap: HTTP/2's smallest windows, far above the largest request (MaxRequestMessageBytes), and 64 KiB
        // per connection instead of Kestrel's 1 MiB (32 such connections would fill most of the unit's heap limit).
        kestrel.Limits.Http2.MaxStreamsPerConnection = options.Value.MaxStreamsPerConnection;
        kestrel.Limits.Http2.InitialConnectionWindowSize = SmallestWindow;
        kestrel.Limits.Http2.InitialStreamWindowSize = SmallestWindow;
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
            uint? uid = peer.Credentials?.Uid;
            switch (_connections.TryEnter(uid))
            {
                case LimitAdmission.Full:
                    if (_listenerFullLog.Admit(logger))
                    {
                        GrpcLog.ConnectionLimitReached(logger, _connections.Max, uid, peer.Credentials?.Pid);
                    }

                    connection.Abort();
                    return;
                case LimitAdmission.UidShareFull:
                    if (_uidShareFullLog.Admit(logger))
                    {
                        GrpcLog.UidConnectionShareReached(logger, uid ?? 0, _connections.MaxPerUid, peer.Credentials?.Pid);
                    }

                    connection.Abort();
                    return;
            }

            using (_connections.HoldUntilClosed(uid, connection.ConnectionClosed))
            {
                connection.Features.Set(peer);
                await next(connection);
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
