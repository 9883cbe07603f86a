using System.Globalization;

namespace Provisioning.Daemon.Systemd;

/// <summary>
/// The watchdog systemd asks for (WatchdogSec= becomes WATCHDOG_USEC, and WATCHDOG_PID names the process it
/// is meant for). Pings go out at half the timeout, as sd_watchdog_enabled(3) recommends.
/// </summary>
internal static class WatchdogSettings
{
    public static TimeSpan? Interval(string? watchdogUsec, string? watchdogPid, int processId)
    {
        if (!ulong.TryParse(watchdogUsec, NumberStyles.None, CultureInfo.InvariantCulture, out ulong usec) || usec == 0)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(watchdogPid)
            && (!int.TryParse(watchdogPid, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid != processId))
        {
            return null;
        }

        // Timers beyond a day are not useful (and TimeSpan caps far below ulong microseconds).
        ulong halfMicroseconds = Math.Min(usec / 2, (ulong)TimeSpan.FromDays(1).Ticks / 10);
        return TimeSpan.FromTicks(Math.Max((long)halfMicroseconds * 10, TimeSpan.TicksPerMillisecond));
    }
}
