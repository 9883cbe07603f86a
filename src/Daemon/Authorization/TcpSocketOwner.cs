using System.Buffers;
using System.Buffers.Text;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Provisioning.Daemon.Authorization;

/// <summary>
/// Who owns the socket at the other end of a local TCP connection: the uid column of the peer's row in
/// /proc/net/tcp or /proc/net/tcp6 (Linux). The tables list every socket of the daemon's network namespace, not
/// per process, so hidepid (ProtectProc=invisible) does not hide them; a private network namespace or
/// ProcSubset=pid would. The peer's row is the one whose local address is the connection's remote end and whose
/// remote address is the connection's local end. Rows without an inode are skipped: a socket in TIME_WAIT or one
/// its process already closed is listed with uid 0, which must never read as root.
/// </summary>
internal static class TcpSocketOwner
{
    public const string Ipv4Table = "/proc/net/tcp";
    public const string Ipv6Table = "/proc/net/tcp6";

    private const int ChunkBytes = 16 * 1024;

    // Columns of a row: sl local_address rem_address st tx_queue:rx_queue tr:tm->when retrnsmt uid timeout inode.
    private const int LocalColumn = 1;
    private const int RemoteColumn = 2;
    private const int UidColumn = 7;
    private const int InodeColumn = 9;

    /// <summary>The owner uid of the peer's socket, or null when no table lists it (or the tables cannot be read).</summary>
    public static uint? Find(IPEndPoint local, IPEndPoint remote)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        IPEndPoint peer = Unmapped(remote);
        IPEndPoint us = Unmapped(local);
        if (peer.AddressFamily == AddressFamily.InterNetwork && us.AddressFamily == AddressFamily.InterNetwork)
        {
            // An IPv4 peer's socket is in tcp, or in tcp6 when it is a dual-stack IPv6 socket (a v4-mapped address).
            return FindIn(Ipv4Table, RowKey(peer, asIpv6: false), RowKey(us, asIpv6: false))
                ?? FindIn(Ipv6Table, RowKey(peer, asIpv6: true), RowKey(us, asIpv6: true));
        }

        return FindIn(Ipv6Table, RowKey(peer, asIpv6: true), RowKey(us, asIpv6: true));
    }

    /// <summary>Reads one table; null when the file is absent or unreadable or has no such row.</summary>
    public static uint? FindIn(string table, byte[] peerLocal, byte[] peerRemote)
    {
        try
        {
            using var stream = new FileStream(table, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 0);
            return FindIn(stream, peerLocal, peerRemote);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Scans a table line by line with one pooled buffer; a line longer than the buffer is skipped.</summary>
    public static uint? FindIn(Stream table, byte[] peerLocal, byte[] peerRemote)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            int filled = 0;
            bool skippingLongLine = false;
            while (true)
            {
                int read = table.Read(buffer, filled, buffer.Length - filled);
                bool end = read == 0;
                filled += read;
                ReadOnlySpan<byte> pending = buffer.AsSpan(0, filled);
                int newline;
                while ((newline = pending.IndexOf((byte)'\n')) >= 0)
                {
                    if (!skippingLongLine && MatchRow(pending[..newline], peerLocal, peerRemote) is { } uid)
                    {
                        return uid;
                    }

                    skippingLongLine = false;
                    pending = pending[(newline + 1)..];
                }

                if (end)
                {
                    return skippingLongLine ? null : MatchRow(pending, peerLocal, peerRemote);
                }

                if (pending.Length == buffer.Length)
                {
                    skippingLongLine = true;
                    pending = [];
                }

                pending.CopyTo(buffer);
                filled = pending.Length;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// An endpoint as the kernel prints it in the tables: the address as 32-bit words in native byte order, each
    /// %08X (one word for tcp, four for tcp6), a colon, the port as %04X.
    /// </summary>
    public static byte[] RowKey(IPEndPoint endPoint, bool asIpv6)
    {
        IPAddress address = asIpv6 ? ToIpv6(endPoint.Address) : Unmapped(endPoint).Address;
        byte[] bytes = address.GetAddressBytes();
        var text = new StringBuilder(bytes.Length * 2 + 5);
        for (int offset = 0; offset < bytes.Length; offset += 4)
        {
            uint word = MemoryMarshal.Read<uint>(bytes.AsSpan(offset, 4));
            text.Append(word.ToString("X8", System.Globalization.CultureInfo.InvariantCulture));
        }

        text.Append(':').Append(endPoint.Port.ToString("X4", System.Globalization.CultureInfo.InvariantCulture));
        return Encoding.ASCII.GetBytes(text.ToString());
    }

    private static uint? MatchRow(ReadOnlySpan<byte> row, byte[] peerLocal, byte[] peerRemote)
    {
        ReadOnlySpan<byte> local = default, remote = default, uid = default, inode = default;
        int column = 0;
        foreach (Range range in row.Split((byte)' '))
        {
            ReadOnlySpan<byte> field = row[range];
            if (field.IsEmpty)
            {
                continue;
            }

            switch (column++)
            {
                case LocalColumn: local = field; break;
                case RemoteColumn: remote = field; break;
                case UidColumn: uid = field; break;
                case InodeColumn: inode = field; break;
            }

            if (column > InodeColumn)
            {
                break;
            }
        }

        if (!local.SequenceEqual(peerLocal) || !remote.SequenceEqual(peerRemote)
            || !Utf8Parser.TryParse(inode, out ulong inodeNumber, out int inodeLength) || inodeLength != inode.Length || inodeNumber == 0
            || !Utf8Parser.TryParse(uid, out uint owner, out int uidLength) || uidLength != uid.Length)
        {
            return null;
        }

        return owner;
    }

    private static IPEndPoint Unmapped(IPEndPoint endPoint) =>
        endPoint.Address.IsIPv4MappedToIPv6 ? new IPEndPoint(endPoint.Address.MapToIPv4(), endPoint.Port) : endPoint;

    private static IPAddress ToIpv6(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork ? address.MapToIPv6() : address;
}
