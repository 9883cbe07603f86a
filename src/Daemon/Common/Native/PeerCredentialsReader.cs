using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Provisioning.Daemon.Grpc;

/// <summary>Reads SO_PEERCRED (struct ucred: pid, uid, gid, in native byte order) from a connected Unix socket.</summary>
internal static class PeerCredentialsReader
{
    private const int SolSocket = 1;
    private const int SoPeerCred = 17;
    private const int UcredSize = 12;

    public static PeerCredentials? Read(Socket? socket)
    {
        if (socket is null || !OperatingSystem.IsLinux() || socket.AddressFamily != AddressFamily.Unix)
        {
            return null;
        }

        Span<byte> ucred = stackalloc byte[UcredSize];
        int length = socket.GetRawSocketOption(SolSocket, SoPeerCred, ucred);
        if (length < UcredSize)
        {
            return null;
        }

        return new PeerCredentials(
            MemoryMarshal.Read<int>(ucred),
            MemoryMarshal.Read<uint>(ucred[4..]),
            MemoryMarshal.Read<uint>(ucred[8..]));
    }
}
