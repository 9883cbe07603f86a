using System.Text;

namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>Reading strace's output into logical operations: interrupted calls, dirfd-relative paths, fds and offsets.</summary>
public sealed class StraceReducerTests
{
    [Fact]
    public void Reduce_ATraceOfATemporaryFileWrittenAndRenamed_GivesTheLogicalOperations()
    {
        string[] lines =
        [
            $"101 openat(AT_FDCWD<{Hex("/w")}>, {Str("r/a.tmp")}, O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC, 0600) = 7<{Hex("/w/r/a.tmp")}>",
            $"101 write(7<{Hex("/w/r/a.tmp")}>, {Str("hello ")}, 6) = 6",
            $"102 write(1<pipe:[55]>, {Str("info: Store[9] written\n")}, 23 <unfinished ...>",
            $"101 pwrite64(7<{Hex("/w/r/a.tmp")}>, {Str("world")}, 5, 6) = 5",
            "102 <... write resumed>) = 23",
            $"101 write(7<{Hex("/w/r/a.tmp")}>, {Str("!")}, 1) = 1",
            $"101 fsync(7<{Hex("/w/r/a.tmp")}>) = 0",
            $"101 close(7<{Hex("/w/r/a.tmp")}>) = 0",
            $"101 rename({Str("/w/r/a.tmp")}, {Str("/w/r/a")}) = 0",
            $"101 unlink({Str("/w/r/gone")}) = -1 ENOENT (No such file or directory)",
            $"101 openat(AT_FDCWD<{Hex("/w")}>, {Str("/w/r")}, O_RDONLY|O_CLOEXEC|O_DIRECTORY) = 7<{Hex("/w/r")}>",
            $"101 fsync(7<{Hex("/w/r")}>) = 0",
            $"101 openat(AT_FDCWD<{Hex("/w")}>, {Str("/etc/hosts")}, O_RDONLY) = 8<{Hex("/etc/hosts")}>",
            $"101 write(8<{Hex("/etc/hosts")}>, {Str("x")}, 1) = 1",
            "101 +++ exited with 0 +++",
        ];

        IReadOnlyList<FsOp> ops = StraceReducer.Reduce(lines, "/w/r", "Store[9]");

        Assert.Equal(
            ["open /w/r/a.tmp O_CREAT as #1", "write #1 6 bytes at 0", "write #1 5 bytes at 6", "acknowledged", "write #1 1 bytes at 6",
             "fsync #1 (/w/r/a.tmp)", "rename /w/r/a.tmp -> /w/r/a", "open /w/r as #2", "fsync #2 (/w/r)"],
            ops.Select(o => o.ToString()));
        Assert.Equal("world"u8.ToArray(), ops[2].Data);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, ops[0].Mode);
    }

    [Fact]
    public void Reduce_AStringStraceCutShort_Refuses()
    {
        string[] lines = [$"101 openat(AT_FDCWD, {Str("/w/r/a")}, O_WRONLY|O_CREAT, 0600) = 7<{Hex("/w/r/a")}>", $"101 write(7, {Str("abc")}..., 9) = 9"];

        var e = Assert.Throws<InvalidDataException>(() => StraceReducer.Reduce(lines, "/w/r", "ack"));

        Assert.Contains("larger -s", e.Message, StringComparison.Ordinal);
    }

    private static string Hex(string text) => string.Concat(Encoding.UTF8.GetBytes(text).Select(b => $"\\x{b:x2}"));

    private static string Str(string text) => $"\"{Hex(text)}\"";
}
