using System.Diagnostics;

namespace Provisioning.Daemon.Tests.Infrastructure;

/// <summary>
/// The variables by which the daemon recognises systemd. A test runner started by systemd passes some on
/// (INVOCATION_ID, JOURNAL_STREAM): a child daemon must only see the ones its test sets.
/// </summary>
public static class SystemdVariables
{
    private static readonly string[] Names =
        ["NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "LISTEN_FDS", "LISTEN_PID", "LISTEN_FDNAMES", "SYSTEMD_EXEC_PID", "INVOCATION_ID", "JOURNAL_STREAM"];

    public static void Clear(ProcessStartInfo start)
    {
        foreach (string name in Names)
        {
            start.Environment.Remove(name);
        }
    }
}
