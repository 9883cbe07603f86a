using System.Globalization;
using System.Text.RegularExpressions;
using Provisioning.Daemon.Tests.Deploy;

namespace Provisioning.Daemon.Tests.RealSystemd;

/// <summary>The hardening of provisioningd.service as the running daemon has it, read from /proc inside.</summary>
[Collection(RealSystemdDevice.Name)]
public sealed partial class SandboxTests(RealSystemdFixture device)
{
    [RealSystemdFact]
    public async Task Process_RunsAsProvisioning_NoNewPrivileges_Seccomp_NoCapabilities()
    {
        await device.ResetAsync();
        string uid = (await device.Container.RunCheckedAsync("id", "-u", "provisioning")).Trim();

        string[] status = (await device.Container.RunCheckedAsync("cat", $"/proc/{await device.MainPidAsync()}/status")).Split('\n');

        string Field(string name) => status.Single(l => l.StartsWith(name + ":", StringComparison.Ordinal))[(name.Length + 1)..].Trim();
        Assert.Equal([uid, uid, uid, uid], Field("Uid").Split('\t'));
        Assert.Equal("1", Field("NoNewPrivs"));
        Assert.Equal("2", Field("Seccomp"));
        foreach (string set in (string[])["CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"])
        {
            Assert.True(Field(set) == "0000000000000000", $"{set}: {Field(set)}");
        }
    }

    [RealSystemdFact]
    public async Task Mounts_RootReadOnly_StateAndRuntimeDirectoriesWritable()
    {
        await device.ResetAsync();

        string mountinfo = await device.Container.RunCheckedAsync("cat", $"/proc/{await device.MainPidAsync()}/mountinfo");

        Dictionary<string, string> options = MountOptions(mountinfo);
        Assert.StartsWith("ro", options["/"], StringComparison.Ordinal);
        Assert.StartsWith("rw", options["/var/lib/provisioning"], StringComparison.Ordinal);
        Assert.StartsWith("rw", options["/run/provisioning"], StringComparison.Ordinal);
        Assert.StartsWith("rw", options["/tmp"], StringComparison.Ordinal);
        Assert.DoesNotContain("/home", options.Keys.Where(k => options[k].StartsWith("rw", StringComparison.Ordinal)));

        // ConfigurationDirectory= is exempt from ProtectSystem=strict; it stays root's, so the daemon cannot write it.
        Assert.Equal("750 root provisioning", (await device.Container.RunCheckedAsync("stat", "-c", "%a %U %G", "/etc/provisioning")).Trim());
    }

    [RealSystemdFact]
    public async Task Security_ExposureOfTheRunningServiceIsAtMostTheDocumentedScore()
    {
        await device.ResetAsync();
        Match documented = DocumentedScore().Match(await File.ReadAllTextAsync(Path.Combine(RealSystemdFixture.Repository, "README.md")));
        Assert.True(documented.Success, "README.md states no exposure score");

        (int _, string output) = await device.Container.RunAsync("systemd-analyze", "security", "--no-pager", RealSystemdFixture.Unit);

        Match measured = MeasuredScore().Match(output);
        Assert.True(measured.Success, output);
        decimal score = decimal.Parse(measured.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(score <= decimal.Parse(documented.Groups[1].Value, CultureInfo.InvariantCulture), $"exposure {score}, documented {documented.Groups[1].Value}:\n{output}");
        Assert.Contains("ProtectProc=", await File.ReadAllTextAsync(DeployFiles.Systemd("provisioningd.service")), StringComparison.Ordinal);
        Assert.Equal("invisible", await device.ShowAsync("ProtectProc"));
        Console.WriteLine($"real systemd: systemd-analyze security {RealSystemdFixture.Unit}: {score}");
    }

    /// <summary>Mount point to its per-mount options (the last mount of a path wins, as it hides the others).</summary>
    private static Dictionary<string, string> MountOptions(string mountinfo)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string[] fields in mountinfo.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(' ')))
        {
            options[fields[4]] = fields[5];
        }

        return options;
    }

    [GeneratedRegex(@"Exposure score[^*\n]*\*\*(\d+\.\d)\*\*")]
    private static partial Regex DocumentedScore();

    [GeneratedRegex(@"Overall exposure level for provisioningd\.service: (\d+\.\d)")]
    private static partial Regex MeasuredScore();
}
