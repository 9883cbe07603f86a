using System.Runtime.InteropServices;

namespace Provisioning.Daemon.Common.Native;

/// <summary>
/// The few libc calls .NET does not expose: open with flags of our choosing (<see cref="OpenFlags"/>), fsync of
/// a directory, chown of a socket's group, madvise of the daemon's own code pages. Every argument is either the
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

    /// <summary>madvise(2) of <paramref name="length"/> bytes from the page-aligned <paramref name="address"/>.</summary>
    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    public static partial int Madvise(nint address, nuint length, int advice);
}
