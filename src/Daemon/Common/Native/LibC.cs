using System.Runtime.InteropServices;

namespace Provisioning.Daemon.Common.Native;

/// <summary>
/// The few libc calls .NET does not expose: open with flags of our choosing (<see cref="OpenFlags"/>), fsync of
/// a directory, chown of a socket's group. Every argument has the same width on 32- and 64-bit Linux
/// (int flags and descriptors, 32-bit uid_t and gid_t), so no declaration depends on the pointer size.
/// </summary>
internal static partial class LibC
{
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
}
