namespace Provisioning.Daemon.Authorization;

/// <summary>
/// Who is calling, as the kernel says: uid, gid and pid from SO_PEERCRED on a Unix socket; the uid only (the owner
/// of the peer's socket) on loopback TCP; nothing for a caller that could not be identified. A JSON-RPC caller may
/// also have presented a valid bearer token.
/// </summary>
internal sealed record Caller(CallerTransport Transport, uint? Uid, uint? Gid, int? Pid, bool HasValidToken = false)
{
    public static Caller Unknown(CallerTransport transport) => new(transport, null, null, null);

    public bool IsIdentified => Uid is not null;
}
