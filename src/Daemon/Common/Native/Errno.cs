namespace Provisioning.Daemon.Common.Native;

/// <summary>The errno values the daemon tells apart (the same on every Linux CPU it targets).</summary>
internal static class Errno
{
    /// <summary>ENOENT.</summary>
    public const int NoSuchFile = 2;

    /// <summary>ENXIO: what open(2) of a socket file fails with.</summary>
    public const int NoDeviceOrAddress = 6;

    /// <summary>EWOULDBLOCK (EAGAIN): a lock another process holds.</summary>
    public const int WouldBlock = 11;
}
