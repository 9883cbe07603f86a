using System.Runtime.InteropServices;

namespace Provisioning.Daemon.State;

/// <summary>The few libc calls .NET does not expose: open with flags of our choosing, fsync of a directory.</summary>
internal static partial class LibC
{
    public const int OpenReadOnly = 0;
    public const int OpenNonBlocking = 0x800;
    public const int OpenDirectory = 0x10000;
    public const int OpenCloseOnExec = 0x80000;
    public const int NoSuchFile = 2;
    public const int NoDeviceOrAddress = 6;

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);
}
