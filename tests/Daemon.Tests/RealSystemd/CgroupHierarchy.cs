namespace Provisioning.Daemon.Tests.RealSystemd;

/// <summary>The unified (cgroup2) hierarchy of this machine, and this process's place in it.</summary>
internal static class CgroupHierarchy
{
    /// <summary>The folder of this process's cgroup2 cgroup, or null when no cgroup2 is mounted.</summary>
    public static string? Unified()
    {
        // mountinfo: ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER
        string? mountPoint = File.ReadLines("/proc/self/mountinfo")
            .Select(line => line.Split(' '))
            .Where(f => f.Length > 6 && f[Array.IndexOf(f, "-") + 1] == "cgroup2")
            .Select(f => f[4])
            .FirstOrDefault();
        string? own = File.ReadLines("/proc/self/cgroup").FirstOrDefault(l => l.StartsWith("0::", StringComparison.Ordinal))?[3..];
        return mountPoint is null || own is null ? null : Path.Join(mountPoint, own);
    }

    /// <summary>Removes a cgroup and the ones systemd made below it, deepest first (they must be empty).</summary>
    public static void Remove(string cgroup)
    {
        if (!Directory.Exists(cgroup))
        {
            return;
        }

        foreach (string child in Directory.GetDirectories(cgroup))
        {
            Remove(child);
        }

        try
        {
            Directory.Delete(cgroup);
        }
        catch (IOException)
        {
            // Still busy: a leftover process of a failed teardown; the cgroup is harmless and named for it.
        }
    }
}
