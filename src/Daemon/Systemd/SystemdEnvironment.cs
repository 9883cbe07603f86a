using System.Globalization;

namespace Provisioning.Daemon.Systemd;

/// <summary>
/// Whether systemd runs this process, judged from what systemd hands a service: NOTIFY_SOCKET, a watchdog or
/// listening sockets meant for this pid (WATCHDOG_USEC/WATCHDOG_PID, LISTEN_FDS/LISTEN_PID), SYSTEMD_EXEC_PID,
/// INVOCATION_ID, and JOURNAL_STREAM naming the socket our output goes to. Never from the parent's process
/// name: with ProtectProc=invisible the service user cannot see PID 1 in /proc.
/// </summary>
internal sealed record SystemdEnvironment(string? NotifySocket, bool IsService, bool IsJournalStream)
{
    /// <summary>This process's environment, read once.</summary>
    public static SystemdEnvironment Current { get; } = OperatingSystem.IsLinux()
        ? Read(Environment.GetEnvironmentVariable, Environment.ProcessId, Console.IsInputRedirected, OutputStreamLinks)
        : new SystemdEnvironment(null, false, false);

    /// <param name="variable">Reads an environment variable.</param>
    /// <param name="processId">This process's pid.</param>
    /// <param name="inputRedirected">False when standard input is a terminal (a shell, not a service).</param>
    /// <param name="outputLinks">The link targets of /proc/self/fd/1 and /2, e.g. `socket:[12345]`.</param>
    public static SystemdEnvironment Read(Func<string, string?> variable, int processId, bool inputRedirected, Func<IEnumerable<string?>> outputLinks)
    {
        string? notifySocket = variable("NOTIFY_SOCKET") is { Length: > 0 } socket ? socket : null;
        bool watchdog = variable("WATCHDOG_USEC") is { Length: > 0 } && IsAbsentOrThis(variable("WATCHDOG_PID"), processId);
        bool listening = variable("LISTEN_FDS") is { Length: > 0 } && IsThis(variable("LISTEN_PID"), processId);
        bool execPid = IsThis(variable("SYSTEMD_EXEC_PID"), processId);
        bool journal = JournalInode(variable("JOURNAL_STREAM")) is { } inode
            && outputLinks().Contains($"socket:[{inode}]", StringComparer.Ordinal);

        // A shell started from a unit (a terminal in a user session) inherits INVOCATION_ID: that alone,
        // with a terminal on standard input, is not a service.
        bool invocation = variable("INVOCATION_ID") is { Length: > 0 } && inputRedirected;
        return new SystemdEnvironment(notifySocket, notifySocket is not null || watchdog || listening || execPid || journal || invocation, journal);
    }

    /// <summary>JOURNAL_STREAM is "device:inode" of the stream socket systemd connected stdout/stderr to.</summary>
    private static string? JournalInode(string? journalStream)
    {
        int colon = journalStream?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        return colon > 0 && ulong.TryParse(journalStream.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out ulong inode)
            ? inode.ToString(CultureInfo.InvariantCulture)
            : null;
    }

    private static bool IsThis(string? pid, int processId) =>
        int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value == processId;

    private static bool IsAbsentOrThis(string? pid, int processId) => string.IsNullOrEmpty(pid) || IsThis(pid, processId);

    private static IEnumerable<string?> OutputStreamLinks()
    {
        foreach (string fd in (string[])["/proc/self/fd/1", "/proc/self/fd/2"])
        {
            string? target;
            try
            {
                target = new FileInfo(fd).LinkTarget;
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                target = null;
            }

            yield return target;
        }
    }
}
