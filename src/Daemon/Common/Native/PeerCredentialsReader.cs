using System.Net.Sockets;
using System.Runtime.InteropServices;

namespace Provisioning.Daemon.Common.Native;

/// <summary>
/// Reads SO_PEERCRED from a connected Unix socket: struct ucred is three 32-bit fields (pid, uid, gid) in
/// native byte order on every Linux CPU the daemon targets, 32- and 64-bit alike.
/// </summary>
internal static class PeerCredentialsReader
{
    public const int SolSocket = 1;
    public const int SoPeerCred = 17;
    public const int UcredSize = 12;
    public const int PidOffset = 0;
    public const int UidOffset = 4;
    public const int GidOffset = 8;

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
            MemoryMarshal.Read<int>(ucred[PidOffset..]),
            MemoryMarshal.Read<uint>(ucred[UidOffset..]),
            MemoryMarshal.Read<uint>(ucred[GidOffset..]));
    }
}
