using System.Globalization;
using System.Runtime.InteropServices;
using Provisioning.Daemon.Common.Native;

namespace Provisioning.Daemon.Common.Files;

/// <summary>
/// Whether a file or directory of the daemon's own may be trusted: it is what it says (not a symbolic link to
/// elsewhere) and the daemon's uid owns it. Whoever owns the state directory or a file in it could have planted key
/// material the daemon would hand to its callers, or could read what it stores.
/// </summary>
internal static class FileTrust
{
    /// <summary>Why the path is not the daemon's own, or null when it is (or cannot be examined: the read says why).</summary>
    public static string? Distrust(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        byte[] statx = new byte[LibC.StatxSize];
        if (LibC.Statx(LibC.AtCurrentDirectory, path, LibC.AtSymlinkNoFollow, LibC.StatxTypeAndUid, statx) != 0)
        {
            return null;
        }

        // The kernel writes struct statx in the CPU's own byte order.
        if ((MemoryMarshal.Read<ushort>(statx.AsSpan(LibC.StatxModeOffset)) & LibC.FileTypeMask) == LibC.SymbolicLinkType)
        {
            return "it is a symbolic link";
        }

        uint owner = MemoryMarshal.Read<uint>(statx.AsSpan(LibC.StatxUidOffset));
        uint daemon = LibC.GetEffectiveUid();
        return owner == daemon
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"it is owned by uid {owner}, not by the daemon's uid {daemon}");
    }
}
