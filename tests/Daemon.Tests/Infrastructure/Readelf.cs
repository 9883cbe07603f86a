using System.Text.RegularExpressions;

namespace Provisioning.Daemon.Tests.Infrastructure;

/// <summary>What binutils' readelf reports of an ELF file: the independent reading the tests compare the daemon and the scripts with.</summary>
public static partial class Readelf
{
    /// <summary>The GNU build ID of <paramref name="path"/> (`readelf -n`); fails the test when readelf fails or reports none.</summary>
    public static async Task<string> BuildIdAsync(string path)
    {
        (int exitCode, string notes) = await Shell.RunAsync("readelf", "-n", path);
        Assert.True(exitCode == 0, $"readelf -n {path} failed ({exitCode}): {notes}");
        Match match = BuildIdLine().Match(notes);
        Assert.True(match.Success, $"readelf -n {path} reports no build ID: {notes}");
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"Build ID: ([0-9a-f]+)")]
    private static partial Regex BuildIdLine();
}
