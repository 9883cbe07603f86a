using System.Runtime.InteropServices;

namespace Provisioning.Daemon.Grpc;

internal static class NativeMethods
{
    /// <summary>chown(2); uint.MaxValue (-1) leaves the owner unchanged.</summary>
    [DllImport("libc", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    internal static extern int chown([MarshalAs(UnmanagedType.LPUTF8Str)] string path, uint owner, uint group);
}
