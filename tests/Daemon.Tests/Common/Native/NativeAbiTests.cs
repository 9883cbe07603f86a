using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using Provisioning.Daemon.Common.Native;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Common.Native;

/// <summary>
/// Every constant and struct layout the daemon hands to libc, checked against the C headers of each CPU a box
/// may have (x86-64, 64-bit ARM, 32-bit ARM): clang compiles a table of the real values for that target and
/// the test compares it with what the daemon would use on that CPU. The headers come from Debian's
/// libc6-dev, libc6-dev-arm64-cross and libc6-dev-armhf-cross (.ci/run installs them).
/// </summary>
public sealed partial class NativeAbiTests
{
    private const string Source = """
        #define _GNU_SOURCE
        #include <errno.h>
        #include <fcntl.h>
        #include <stddef.h>
        #include <sys/mman.h>
        #include <sys/socket.h>
        #include <sys/file.h>
        #include <sys/stat.h>
        const long long values[] = {
            O_RDONLY, O_NONBLOCK, O_DIRECTORY, O_CLOEXEC, ENOENT, ENXIO,
            SOL_SOCKET, SO_PEERCRED, sizeof(struct ucred),
            offsetof(struct ucred, pid), offsetof(struct ucred, uid), offsetof(struct ucred, gid),
            sizeof(pid_t), sizeof(uid_t), sizeof(gid_t), sizeof(int),
            MADV_DONTNEED, sizeof(void *), sizeof(size_t),
            AT_FDCWD, AT_SYMLINK_NOFOLLOW, STATX_TYPE | STATX_UID, sizeof(struct statx),
            offsetof(struct statx, stx_uid), offsetof(struct statx, stx_mode), S_IFMT, S_IFLNK,
            LOCK_EX | LOCK_NB, EWOULDBLOCK,
        };
        """;

    private static readonly string[] Names =
    [
        "O_RDONLY", "O_NONBLOCK", "O_DIRECTORY", "O_CLOEXEC", "ENOENT", "ENXIO",
        "SOL_SOCKET", "SO_PEERCRED", "sizeof(struct ucred)",
        "offsetof(ucred.pid)", "offsetof(ucred.uid)", "offsetof(ucred.gid)",
        "sizeof(pid_t)", "sizeof(uid_t)", "sizeof(gid_t)", "sizeof(int) (open flags, fds)",
        "MADV_DONTNEED", "sizeof(void *) (madvise's address)", "sizeof(size_t) (madvise's length)",
        "AT_FDCWD", "AT_SYMLINK_NOFOLLOW", "STATX_TYPE | STATX_UID", "sizeof(struct statx)",
        "offsetof(statx.stx_uid)", "offsetof(statx.stx_mode)", "S_IFMT", "S_IFLNK",
        "LOCK_EX | LOCK_NB", "EWOULDBLOCK",
    ];

    public static TheoryData<string, string, Architecture> Targets => new()
    {
        { "x86_64-linux-gnu", "/usr/include", Architecture.X64 },
        { "aarch64-linux-gnu", "/usr/aarch64-linux-gnu/include", Architecture.Arm64 },
        { "arm-linux-gnueabihf", "/usr/arm-linux-gnueabihf/include", Architecture.Arm },
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task ConstantsAndLayouts_MatchTheHeadersOfEachCpu(string triple, string includes, Architecture architecture)
    {
        long[] expected = await HeaderValuesAsync(triple, includes);

        long[] used =
        [
            OpenFlags.ReadOnly, OpenFlags.NonBlocking, OpenFlags.DirectoryFor(architecture), OpenFlags.CloseOnExec,
            Errno.NoSuchFile, Errno.NoDeviceOrAddress,
            PeerCredentialsReader.SolSocket, PeerCredentialsReader.SoPeerCred, PeerCredentialsReader.UcredSize,
            PeerCredentialsReader.PidOffset, PeerCredentialsReader.UidOffset, PeerCredentialsReader.GidOffset,
            Marshal.SizeOf<int>(), Marshal.SizeOf<uint>(), Marshal.SizeOf<uint>(), Marshal.SizeOf<int>(),
            LibC.MadviseDontNeed, PointerSize(architecture), PointerSize(architecture),
            LibC.AtCurrentDirectory, LibC.AtSymlinkNoFollow, LibC.StatxTypeAndUid, LibC.StatxSize,
            LibC.StatxUidOffset, LibC.StatxModeOffset, LibC.FileTypeMask, LibC.SymbolicLinkType,
            LibC.LockExclusiveNonBlocking, Errno.WouldBlock,
        ];
        Assert.Equal(
            Names.Zip(expected, (name, value) => $"{name}={value}"),
            Names.Zip(used, (name, value) => $"{name}={value}"));
    }

    [Fact]
    public void PointerSize_OfThisProcess_IsThatOfItsCpu() => Assert.Equal(IntPtr.Size, PointerSize(RuntimeInformation.ProcessArchitecture));

    [Fact]
    public void DirectoryFlag_OfThisProcess_IsThatOfItsCpu() =>
        Assert.Equal(OpenFlags.DirectoryFor(RuntimeInformation.ProcessArchitecture), OpenFlags.Directory);

    /// <summary>The width of nint and nuint (madvise's address and length) in a process on that CPU.</summary>
    private static int PointerSize(Architecture architecture) => architecture is Architecture.Arm or Architecture.X86 ? 4 : 8;

    private static async Task<long[]> HeaderValuesAsync(string triple, string includes)
    {
        if (!File.Exists(Path.Combine(includes, "fcntl.h")))
        {
            Assert.Skip($"no C headers for {triple} in {includes} (install the Debian libc6-dev cross package)");
        }

        (int found, string resources) = await Shell.RunAsync("clang", "-print-resource-dir");
        if (found != 0)
        {
            Assert.Skip("clang is not installed");
        }

        using var temp = new TempDirectory();
        string source = temp.Combine("abi.c");
        await File.WriteAllTextAsync(source, Source);
        string[] args =
        [
            $"--target={triple}", "-nostdinc", "-isystem", includes, "-isystem", Path.Combine(includes, triple),
            "-isystem", Path.Combine(resources.Trim(), "include"), "-S", "-emit-llvm", "-o", "-", source,
        ];
        (int exitCode, string output) = await Shell.RunAsync("clang", args);
        Assert.True(exitCode == 0, output);
        Match table = ValueTable().Match(output);
        Assert.True(table.Success, output);
        return [.. LongValue().Matches(table.Value).Select(m => long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];
    }

    [GeneratedRegex(@"@values = .*constant \[\d+ x i64\] \[[^\]]*\]")]
    private static partial Regex ValueTable();

    [GeneratedRegex(@"i64 (-?\d+)")]
    private static partial Regex LongValue();
}
