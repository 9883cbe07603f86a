using System.Globalization;
using System.Text.RegularExpressions;
using Provisioning.Daemon.Grpc;
using Provisioning.Daemon.State;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Deploy;

/// <summary>The shipped units, as systemd itself reads them (Debian's systemd package provides the tools).</summary>
public sealed partial class UnitFileTests
{
    [Theory]
    [InlineData("provisioningd.service")]
    [InlineData("provisioningd.socket")]
    public async Task Verify_EachUnit_HasNoFindings(string unit)
    {
        using var root = new UnitRoot();

        (int exitCode, string output) = await root.AnalyzeAsync("verify", unit);

        Assert.True(exitCode == 0 && output.Trim().Length == 0, $"systemd-analyze verify {unit} ({exitCode}): {output}");
    }

    [Theory]
    [InlineData("key-encryption.conf")]
    [InlineData("key-encryption-previous.conf")]
    [InlineData("key-encryption-plain.conf")]
    [InlineData("key-encryption-plain-previous.conf")]
    [InlineData("jit.conf")]
    public async Task Verify_ServiceWithEachShippedDropIn_HasNoFindings(string dropIn)
    {
        using var root = new UnitRoot(dropIn);

        (int exitCode, string output) = await root.AnalyzeAsync("verify", "provisioningd.service");

        Assert.True(exitCode == 0 && output.Trim().Length == 0, $"systemd-analyze verify with {dropIn} ({exitCode}): {output}");
    }

    [Fact]
    public async Task Security_Service_ExposureIsAtMostTheDocumentedScore()
    {
        Match documented = DocumentedScore().Match(await File.ReadAllTextAsync(Path.Combine(DeployFiles.Directory, "..", "README.md")));
        Assert.True(documented.Success, "README.md states no exposure score");
        using var root = new UnitRoot();

        (int exitCode, string output) = await root.AnalyzeAsync("security", "--offline=yes", "--no-pager", "provisioningd.service");

        Match measured = MeasuredScore().Match(output);
        Assert.True(exitCode == 0 && measured.Success, $"systemd-analyze security ({exitCode}): {output}");
        decimal score = decimal.Parse(measured.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(
            score <= decimal.Parse(documented.Groups[1].Value, CultureInfo.InvariantCulture),
            $"exposure {score} is above the documented {documented.Groups[1].Value}:\n{output}");
    }

    [Fact]
    public void Socket_MatchesTheDaemonDefaultsAndTheDocumentedModes()
    {
        string socket = DeployFiles.Systemd("provisioningd.socket");

        Assert.Equal(GrpcOptions.DefaultSocketPath, DeployFiles.Setting(socket, "ListenStream"));
        Assert.Equal("0660", DeployFiles.Setting(socket, "SocketMode"));
        Assert.Equal(GrpcOptions.DefaultSocketGroup, DeployFiles.Setting(socket, "SocketGroup"));
        Assert.Equal("no", DeployFiles.Setting(socket, "Accept"));
    }

    [Fact]
    public void Service_GcSettings_AreHexadecimalDigitsAsTheNativeAotRuntimeReadsThem()
    {
        // The Native AOT runtime ignores a DOTNET_GC* value it cannot read as hexadecimal digits (0x included),
        // silently; the JIT runtime would accept it, so only this check catches it without the AOT build.
        string[] gcSettings = [.. DeployFiles.ServiceEnvironment()
            .Where(variable => variable.Key.StartsWith("DOTNET_GC", StringComparison.OrdinalIgnoreCase))
            .Select(variable => $"{variable.Key}={variable.Value}")];

        Assert.Contains(gcSettings, assignment => assignment.StartsWith("DOTNET_GCHeapHardLimit=", StringComparison.Ordinal));
        Assert.All(gcSettings, assignment => Assert.Matches("^[A-Za-z0-9_]+=[0-9A-Fa-f]+$", assignment));
    }

    [Fact]
    public void Service_DirectoriesAndOrderingMatchTheDaemonDefaults()
    {
        string service = DeployFiles.Systemd("provisioningd.service");

        Assert.Equal(new StateOptions().Directory, "/var/lib/" + DeployFiles.Setting(service, "StateDirectory"));
        Assert.Equal("0700", DeployFiles.Setting(service, "StateDirectoryMode"));
        Assert.Equal(Path.GetDirectoryName(GrpcOptions.DefaultSocketPath), "/run/" + DeployFiles.Setting(service, "RuntimeDirectory"));
        Assert.Equal("0750", DeployFiles.Setting(service, "RuntimeDirectoryMode"));
        Assert.Equal("0750", DeployFiles.Setting(service, "ConfigurationDirectoryMode"));
        Assert.Equal("notify", DeployFiles.Setting(service, "Type"));
        Assert.Contains("time-sync.target", DeployFiles.Settings(service).Where(s => s.Key == "After").Select(s => s.Value).Single(), StringComparison.Ordinal);
        Assert.Contains("network-online.target", DeployFiles.Settings(service).Where(s => s.Key == "After").Select(s => s.Value).Single(), StringComparison.Ordinal);
        Assert.Equal("78", DeployFiles.Setting(service, "RestartPreventExitStatus"));
    }

    [RootFact]
    public async Task SysusersAndTmpfiles_AppliedToARoot_CreateTheUserAndTheDirectoriesWithTheirModes()
    {
        using var root = new TempDirectory();
        Directory.CreateDirectory(root.Combine("etc"));

        await Shell.RunCheckedAsync("systemd-sysusers", "--root=" + root.Path, DeployFiles.Systemd("provisioningd.sysusers.conf"));
        await Shell.RunCheckedAsync("systemd-tmpfiles", "--create", "--root=" + root.Path, DeployFiles.Systemd("provisioningd.tmpfiles.conf"));

        (int uid, int gid) = RootAccounts.User(root.Path, "provisioning");
        await RootAccounts.AssertEntryAsync(root.Combine("var/lib/provisioning"), "700", uid, gid);
        await RootAccounts.AssertEntryAsync(root.Combine("run/provisioning"), "750", uid, gid);
        await RootAccounts.AssertEntryAsync(root.Combine("etc/provisioning"), "750", 0, gid);
    }

    [GeneratedRegex(@"Exposure score[^*\n]*\*\*(\d+\.\d)\*\*")]
    private static partial Regex DocumentedScore();

    [GeneratedRegex(@"Overall exposure level for provisioningd\.service: (\d+\.\d)")]
    private static partial Regex MeasuredScore();
}
