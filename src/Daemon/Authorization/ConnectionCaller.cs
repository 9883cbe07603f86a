using System.Net;
using System.Net.Sockets;
using Provisioning.Daemon.Common.Native;

namespace Provisioning.Daemon.Authorization;

/// <summary>
/// The caller of a connection, identified once when it is accepted and kept for its life (a connection feature):
/// SO_PEERCRED on a Unix socket, the peer socket's owner on TCP (<see cref="TcpSocketOwner"/>).
/// </summary>
internal sealed class ConnectionCaller(Caller caller)
{
    public Caller Caller { get; } = caller;

    public static ConnectionCaller Identify(Socket? socket, EndPoint? local, EndPoint? remote, CallerTransport transport)
    {
        if (socket?.AddressFamily == AddressFamily.Unix)
        {
            return new(PeerCredentialsReader.Read(socket) is { } peer
                ? new Caller(transport, peer.Uid, peer.Gid, peer.Pid)
                : Caller.Unknown(transport));
        }

        if (local is IPEndPoint us && remote is IPEndPoint them && TcpSocketOwner.Find(us, them) is { } uid)
        {
            return new(new Caller(transport, uid, null, null));
        }

        return new(Caller.Unknown(transport));
    }
}
