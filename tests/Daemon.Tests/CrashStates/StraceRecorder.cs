using System.Globalization;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>
/// Records the file-system calls of a process with strace: every thread (-f), file descriptors annotated with
/// their paths (-y), every string as \xNN bytes (-xx) and long enough to hold any write whole (-s), only the
/// calls the persistence model reads (seccomp filters out the rest, so the traced daemon runs near full speed).
/// </summary>
internal static class StraceRecorder
{
    /// <summary>Writes longer than this would be cut; <see cref="StraceCall.DecodeString"/> refuses a cut string.</summary>
    public const int MaxStringBytes = 64 * 1024 * 1024;

    // '?' : not an error on a CPU without the call (open, creat, rename... exist only as *at on arm64).
    private static readonly string[] Calls =
    [
        "open", "openat", "creat", "close", "dup", "dup2", "dup3", "fcntl", "lseek",
        "write", "pwrite64", "writev", "pwritev", "pwritev2", "truncate", "ftruncate", "fallocate",
        "fsync", "fdatasync", "sync", "syncfs",
        "rename", "renameat", "renameat2", "unlink", "unlinkat", "mkdir", "mkdirat", "rmdir",
        "link", "linkat", "symlink", "symlinkat",
    ];

    /// <summary>The words to put before a command so that it runs traced into <paramref name="traceFile"/>.</summary>
    public static IReadOnlyList<string> Wrapper(string traceFile) =>
    [
        "strace", "-f", "--seccomp-bpf", "-qq", "-e", "signal=none", "-y", "-xx",
        "-s", MaxStringBytes.ToString(CultureInfo.InvariantCulture),
        "-e", "trace=" + string.Join(',', Calls.Select(c => "?" + c)),
        "-o", traceFile, "--",
    ];

    /// <summary>Why strace cannot trace here (not installed, ptrace not allowed), or null when it can.</summary>
    public static async Task<string?> UnavailableReasonAsync()
    {
        if (DaemonUnderTest.IsLaunched)
        {
            return $"the recorder traces the daemon's own system calls; with {DaemonUnderTest.LauncherVariable} it would trace the emulator's";
        }

        try
        {
            (int exitCode, string output) = await Shell.RunAsync("strace", "-f", "-qq", "-o", "/dev/null", "--", "true");
            return exitCode == 0 ? null : $"strace cannot trace here (exit {exitCode}): {output.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "strace is not installed (Debian package strace)";
        }
    }

    /// <summary>The traced process: strace's only child.</summary>
    public static int TracedChild(int stracePid)
    {
        string children = File.ReadAllText($"/proc/{stracePid}/task/{stracePid}/children").Trim();
        return int.Parse(children.Split(' ')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>This process's umask (new files get their mode without these bits), from /proc/self/status.</summary>
    public static UnixFileMode Umask()
    {
        string line = File.ReadLines("/proc/self/status").First(l => l.StartsWith("Umask:", StringComparison.Ordinal));
        return (UnixFileMode)Convert.ToInt32(line["Umask:".Length..].Trim(), 8);
    }
}
