using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.RealSystemd;

/// <summary>Why this machine cannot boot systemd in namespaces for a test, or null when it can.</summary>
internal static class MachineSupport
{
    public const string Systemd = "/lib/systemd/systemd";
    private const int CapSysAdmin = 21;

    public static string? CannotBootSystemd { get; } = Check();

    private static string? Check()
    {
        if (!OperatingSystem.IsLinux())
        {
            return "real systemd tests need Linux";
        }

        if (DaemonUnderTest.IsLaunched)
        {
            return $"real systemd tests run the daemon inside a container of this machine's CPU, without {DaemonUnderTest.LauncherVariable}";
        }

        if (!Environment.IsPrivilegedProcess || !HasCapability(CapSysAdmin))
        {
            return "real systemd tests need root with CAP_SYS_ADMIN (namespaces, mounts, a cgroup)";
        }

        string filesystems = File.ReadAllText("/proc/filesystems");
        if (!filesystems.Contains("\toverlay\n", StringComparison.Ordinal))
        {
            return "real systemd tests need overlayfs (no 'overlay' in /proc/filesystems)";
        }

        if (CgroupHierarchy.Unified() is null)
        {
            return "real systemd tests need a mounted cgroup2 hierarchy";
        }

        foreach (string tool in (string[])[Systemd, "/usr/bin/unshare", "/usr/bin/nsenter", "/usr/bin/setpriv", "/usr/sbin/pivot_root"])
        {
            if (!File.Exists(tool))
            {
                return $"real systemd tests need {tool}";
            }
        }

        return null;
    }

    private static bool HasCapability(int capability)
    {
        string? line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("CapEff:", StringComparison.Ordinal));
        return line is not null
            && ulong.TryParse(line["CapEff:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, null, out ulong mask)
            && (mask & (1UL << capability)) != 0;
    }
}
