using System.Runtime.InteropServices;

namespace Provisioning.Daemon.Common.Native;

/// <summary>
/// The few libc calls .NET does not expose: open with flags of our choosing (<see cref="OpenFlags"/>), fsync of
/// a directory, chown of a socket's group, madvise of the daemon's own code pages, the owner and type of a state
/// file (statx, geteuid), the lock of the state directory (flock). Every argument is either the
/// same width on 32- and 64-bit Linux (int flags and descriptors, 32-bit uid_t and gid_t) or pointer-sized
/// (nint, nuint), so each declaration is right on both.
/// </summary>
internal static partial class LibC
{
    /// <summary>MADV_DONTNEED (the same on every Linux CPU the daemon targets; NativeAbiTests checks it).</summary>
    public const int MadviseDontNeed = 4;

    /// <summary>open(2) without a mode: never with O_CREAT, so the variadic third argument is never read.</summary>
    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    /// <summary>chown(2); uint.MaxValue (-1) leaves the owner or the group unchanged.</summary>
    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Chown(string path, uint owner, uint group);

    /// <summary>flock(2): an advisory lock on an open file, released when the descriptor is closed.</summary>
    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(int fd, int operation);

    /// <summary>LOCK_EX | LOCK_NB: exclusive, failing at once (EWOULDBLOCK) when another holds it.</summary>
    public const int LockExclusiveNonBlocking = 2 | 4;

    /// <summary>geteuid(2): the uid the daemon's files are created and checked as.</summary>
    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUid();

    /// <summary>
    /// statx(2) into <paramref name="buffer"/> (<see cref="StatxSize"/> bytes): its layout is the same on every CPU,
    /// unlike stat's.
    /// </summary>
    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Statx(int directoryFd, string path, int flags, uint mask, [Out] byte[] buffer);

    /// <summary>AT_FDCWD: a relative path of statx is relative to the working directory.</summary>
    public const int AtCurrentDirectory = -100;

    /// <summary>AT_SYMLINK_NOFOLLOW: statx describes a symbolic link itself.</summary>
    public const int AtSymlinkNoFollow = 0x100;

    /// <summary>STATX_TYPE | STATX_UID.</summary>
    public const uint StatxTypeAndUid = 0x1 | 0x8;

    /// <summary>sizeof(struct statx).</summary>
    public const int StatxSize = 256;

    /// <summary>Where struct statx has stx_uid (u32).</summary>
    public const int StatxUidOffset = 20;

    /// <summary>Where struct statx has stx_mode (u16).</summary>
    public const int StatxModeOffset = 28;

    /// <summary>S_IFMT: the file type bits of a mode.</summary>
    public const int FileTypeMask = 0xF000;

    /// <summary>S_IFLNK: the file type of a symbolic link.</summary>
    public const int SymbolicLinkType = 0xA000;

    /// <summary>madvise(2) of <paramref name="length"/> bytes from the page-aligned <paramref name="address"/>.</summary>
    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    public static partial int Madvise(nint address, nuint length, int advice);
}
