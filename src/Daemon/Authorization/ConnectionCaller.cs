using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Provisioning.Daemon.Common.Native;

namespace Provisioning.Daemon.Authorization;

/// <summary>
/// The caller of a connection (a connection feature): identified at most once, the first time a call needs to know
/// who it is (a rule that is not open to everyone), and kept for the connection's life. SO_PEERCRED on a Unix
/// socket, the peer socket's owner on TCP (<see cref="TcpSocketOwner"/>, about a millisecond: bench/README.md), so
/// the calls everyone may make never pay for the lookup. Each TCP lookup is logged at Debug (event 5101).
/// </summary>
internal sealed class ConnectionCaller(Socket? socket, EndPoint? local, EndPoint? remote, CallerTransport transport, ILogger logger)
{
    private readonly Lazy<Caller> _caller = new(() => Identify(socket, local, remote, transport, logger));

    public Caller Caller => _caller.Value;

    private static Caller Identify(Socket? socket, EndPoint? local, EndPoint? remote, CallerTransport transport, ILogger logger)
    {
        if (socket?.AddressFamily == AddressFamily.Unix)
        {
            return PeerCredentialsReader.Read(socket) is { } peer
                ? new Caller(transport, peer.Uid, peer.Gid, peer.Pid)
                : Caller.Unknown(transport);
        }

        if (local is IPEndPoint us && remote is IPEndPoint them)
        {
            uint? owner = TcpSocketOwner.Find(us, them);
            AuthorizationLog.TcpCallerLookedUp(
                logger, them, transport, owner is { } found ? found.ToString(CultureInfo.InvariantCulture) : "unknown");
            return owner is { } uid ? new Caller(transport, uid, null, null) : Caller.Unknown(transport);
        }

        return Caller.Unknown(transport);
    }
}
