using System.Diagnostics;

namespace Provisioning.Daemon.Tests.Infrastructure;

/// <summary>
/// The one place that says which provisioningd the process-level tests run, so the same tests cover the JIT
/// build, the Native AOT build and a cross-built binary under an emulator:
/// <list type="bullet">
/// <item><c>PROVISIONINGD_TEST_BIN</c>: the executable (its folder is a complete publish folder). Unset: the
/// JIT build next to the test assembly.</item>
/// <item><c>PROVISIONINGD_TEST_LAUNCHER</c>: an optional command that runs it, words separated by spaces
/// (e.g. <c>qemu-aarch64-static -L /opt/arm64-root</c>).</item>
/// </list>
/// </summary>
public static class DaemonUnderTest
{
    public const string BinVariable = "PROVISIONINGD_TEST_BIN";
    public const string LauncherVariable = "PROVISIONINGD_TEST_LAUNCHER";

    /// <summary>The daemon executable.</summary>
    public static string Executable { get; } =
        Environment.GetEnvironmentVariable(BinVariable) is { Length: > 0 } bin
            ? Path.GetFullPath(bin)
            : Path.Combine(AppContext.BaseDirectory, "provisioningd");

    /// <summary>The development host (tools/DevDaemon, provisioningd-dev), built next to the test assembly: never the device build.</summary>
    public static string DevHostExecutable => Path.Combine(AppContext.BaseDirectory, "provisioningd-dev");

    /// <summary>The daemon's host with test seams (tests/WedgedDaemon, provisioningd-wedged), built next to the test assembly.</summary>
    public static string TestHostExecutable => Path.Combine(AppContext.BaseDirectory, "provisioningd-wedged");

    /// <summary>True when the daemon under test is a Native AOT build: one executable, no provisioningd.dll beside it.</summary>
    public static bool IsNativeAot => !File.Exists(Path.Combine(PublishFolder, "provisioningd.dll"));

    /// <summary>The folder the executable was published to (what deploy/install.sh --from takes).</summary>
    public static string PublishFolder => Path.GetDirectoryName(Executable)!;

    /// <summary>The launcher's words, empty when the daemon runs natively.</summary>
    public static IReadOnlyList<string> Launcher { get; } =
        (Environment.GetEnvironmentVariable(LauncherVariable) ?? string.Empty)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>True when the daemon runs through a launcher (an emulator): what it cannot do there is skipped, saying why.</summary>
    public static bool IsLaunched => Launcher.Count > 0;

    /// <summary>
    /// How long to wait for the daemon to print a line or exit before calling it hung: a minute natively, three
    /// under a launcher, where qemu-user translates every instruction. A guard against hangs, not a measure of speed.
    /// </summary>
    public static TimeSpan Patience => IsLaunched ? TimeSpan.FromMinutes(3) : TimeSpan.FromMinutes(1);

    /// <summary>True when the daemon is the framework-dependent build the tests were compiled with.</summary>
    public static bool IsDefaultBuild => Environment.GetEnvironmentVariable(BinVariable) is not { Length: > 0 };

    /// <summary>The command line that runs the daemon: the launcher's words, the executable, then <paramref name="args"/>.</summary>
    public static IEnumerable<string> CommandLine(IEnumerable<string> args) => [.. Launcher, Executable, .. args];

    /// <summary>
    /// A start info for the daemon with <paramref name="args"/>, through the launcher if one is set, and inside
    /// <paramref name="wrapper"/> (a command that runs another, e.g. strace) when given.
    /// </summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> args, IEnumerable<string>? wrapper = null)
    {
        List<string> words = [.. wrapper ?? [], .. CommandLine(args)];
        var start = new ProcessStartInfo(words[0]);
        foreach (string word in words.Skip(1))
        {
            start.ArgumentList.Add(word);
        }

        return start;
    }
}
