using System.Runtime.InteropServices;

namespace Provisioning.Daemon.Common.Native;

/// <summary>
/// open(2) flags. Most have one value on every Linux CPU the daemon targets; O_DIRECTORY does not: 0x10000
/// on x86 and x86-64 (asm-generic), 0x4000 on 32- and 64-bit ARM (where 0x10000 is O_DIRECT, and opening a
/// directory with it fails with EINVAL). Tests/Common/Native checks every value against each CPU's headers.
/// </summary>
internal static class OpenFlags
{
    public const int ReadOnly = 0;
    public const int NonBlocking = 0x800;
    public const int CloseOnExec = 0x80000;

    /// <summary>O_DIRECTORY of the CPU this process runs on.</summary>
    public static int Directory { get; } = DirectoryFor(RuntimeInformation.ProcessArchitecture);

    /// <summary>O_DIRECTORY per CPU: ARM (32 and 64) and POWER define their own, the others take asm-generic's.</summary>
    public static int DirectoryFor(Architecture architecture) => architecture switch
    {
        Architecture.Arm or Architecture.Arm64 or Architecture.Armv6 or Architecture.Ppc64le => 0x4000,
        _ => 0x10000,
    };
}
