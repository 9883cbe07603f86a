using System.Globalization;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Deploy;

/// <summary>Owners and modes inside an installed root: ids come from the root's own /etc/passwd, not the host's.</summary>
internal static class RootAccounts
{
    public static (int Uid, int Gid) User(string root, string name)
    {
        string[] fields = File.ReadAllLines(Path.Combine(root, "etc/passwd"))
            .Select(line => line.Split(':'))
            .Single(f => f[0] == name);
        return (int.Parse(fields[2], CultureInfo.InvariantCulture), int.Parse(fields[3], CultureInfo.InvariantCulture));
    }

    /// <summary>Asserts the octal mode and numeric owner of a file or directory (stat, so symlinks are not followed).</summary>
    public static async Task AssertEntryAsync(string path, string mode, int uid, int gid)
    {
        (int exitCode, string output) = await Shell.RunAsync("stat", "-c", "%a %u %g", path);
        Assert.True(exitCode == 0, $"{path}: {output}");
        Assert.Equal($"{mode} {uid} {gid}", output.Trim());
    }
}
