using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Deploy;

/// <summary>deploy/install.sh and uninstall.sh into a temporary root, from an already published folder.</summary>
public sealed class InstallScriptTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    private const ushort ElfMachineX64 = 62;
    private const ushort ElfMachineArm64 = 183;

    private string Root => _temp.Combine("root");

    public void Dispose() => _temp.Dispose();

    [RootFact]
    public async Task Install_IntoARoot_PutsEveryFileInPlaceWithItsOwnerAndMode()
    {
        string published = FakePublish();

        (int exitCode, string output) = await Shell.RunAsync(Script("install.sh"), "--from", published, Root);

        Assert.True(exitCode == 0, output);
        (int uid, int gid) = RootAccounts.User(Root, "provisioning");
        Assert.NotEqual(0, uid);
        await RootAccounts.AssertEntryAsync(At("usr/lib/provisioningd/provisioningd"), "755", 0, 0);
        await RootAccounts.AssertEntryAsync(At("usr/lib/provisioningd/provisioningd.dll"), "644", 0, 0);
        await RootAccounts.AssertEntryAsync(At("usr/lib/provisioningd/sub/native.so"), "644", 0, 0);
        Assert.False(File.Exists(At("usr/lib/provisioningd/provisioningd.pdb")));
        await RootAccounts.AssertEntryAsync(At("usr/lib/systemd/system/provisioningd.service"), "644", 0, 0);
        await RootAccounts.AssertEntryAsync(At("usr/lib/systemd/system/provisioningd.socket"), "644", 0, 0);
        await RootAccounts.AssertEntryAsync(At("usr/lib/sysusers.d/provisioningd.conf"), "644", 0, 0);
        await RootAccounts.AssertEntryAsync(At("usr/lib/tmpfiles.d/provisioningd.conf"), "644", 0, 0);
        await RootAccounts.AssertEntryAsync(At("etc/provisioning"), "750", 0, gid);
        await RootAccounts.AssertEntryAsync(At("etc/provisioning/provisioningd.json"), "640", 0, gid);
        await RootAccounts.AssertEntryAsync(At("var/lib/provisioning"), "700", uid, gid);
        await RootAccounts.AssertEntryAsync(At("run/provisioning"), "750", uid, gid);
        await RootAccounts.AssertEntryAsync(At("etc/credstore"), "700", 0, 0);
        await RootAccounts.AssertEntryAsync(At("etc/credstore.encrypted"), "700", 0, 0);
        await RootAccounts.AssertEntryAsync(At("usr/share/doc/provisioningd/key-encryption-previous.conf"), "644", 0, 0);
        Assert.Equal("/usr/lib/systemd/system/provisioningd.service", new FileInfo(At("etc/systemd/system/multi-user.target.wants/provisioningd.service")).LinkTarget);
        Assert.Equal("/usr/lib/systemd/system/provisioningd.socket", new FileInfo(At("etc/systemd/system/sockets.target.wants/provisioningd.socket")).LinkTarget);
        await RootAccounts.AssertEntryAsync(At("usr/lib/systemd/system/provisioningd.service.d/jit.conf"), "644", 0, 0);
        Assert.Contains("install: build: JIT", output, StringComparison.Ordinal);
        Assert.Contains("install: /etc/provisioning/provisioningd.json", output, StringComparison.Ordinal);
        Assert.Equal("/usr/lib/provisioningd/provisioningd", DeployFiles.Setting(DeployFiles.Systemd("provisioningd.service"), "ExecStart"));
    }

    [RootFact]
    public async Task Install_Again_KeepsTheOperatorsConfigurationAndRemovesStaleFiles()
    {
        string published = FakePublish();
        await Shell.RunCheckedAsync(Script("install.sh"), "--from", published, Root);
        await File.WriteAllTextAsync(At("etc/provisioning/provisioningd.json"), "{\"BackOffice\":{\"Url\":\"https://bo.operator.test/\"}}");
        await File.WriteAllTextAsync(At("usr/lib/provisioningd/old.dll"), "stale");

        (int exitCode, string output) = await Shell.RunAsync(Script("install.sh"), "--from", published, Root);

        Assert.True(exitCode == 0, output);
        Assert.Contains("bo.operator.test", await File.ReadAllTextAsync(At("etc/provisioning/provisioningd.json")), StringComparison.Ordinal);
        Assert.Contains("exists: kept", output, StringComparison.Ordinal);
        Assert.False(File.Exists(At("usr/lib/provisioningd/old.dll")));
    }

    [RootFact]
    public async Task Uninstall_RemovesTheDaemonAndUnitsAndKeepsStateUnlessPurged()
    {
        await Shell.RunCheckedAsync(Script("install.sh"), "--from", FakePublish(), Root);
        await File.WriteAllTextAsync(At("var/lib/provisioning/state.json"), "{}");

        await Shell.RunCheckedAsync(Script("uninstall.sh"), Root);

        Assert.False(Directory.Exists(At("usr/lib/provisioningd")));
        Assert.False(File.Exists(At("usr/lib/systemd/system/provisioningd.service")));
        Assert.False(File.Exists(At("etc/systemd/system/multi-user.target.wants/provisioningd.service")));
        Assert.False(File.Exists(At("etc/systemd/system/sockets.target.wants/provisioningd.socket")));
        Assert.True(File.Exists(At("var/lib/provisioning/state.json")));
        Assert.True(File.Exists(At("etc/provisioning/provisioningd.json")));

        Directory.CreateDirectory(At("etc/systemd/system/provisioningd.service.d"));
        await File.WriteAllTextAsync(At("etc/systemd/system/provisioningd.service.d/key-encryption.conf"), "[Service]\n");
        await File.WriteAllTextAsync(At("etc/credstore.encrypted/provisioningd.kek"), "sealed");

        await Shell.RunCheckedAsync(Script("uninstall.sh"), "--purge", Root);

        Assert.False(File.Exists(At("etc/credstore.encrypted/provisioningd.kek")));
        Assert.False(Directory.Exists(At("etc/systemd/system/provisioningd.service.d")));
        Assert.False(Directory.Exists(At("var/lib/provisioning")));
        Assert.False(Directory.Exists(At("etc/provisioning")));
    }

    [RootFact]
    public async Task Install_NativeAotFolder_InstallsTheUnitAsShippedWithoutTheJitDropIn()
    {
        string published = FakePublish(jit: false);
        await Shell.RunCheckedAsync(Script("install.sh"), "--from", FakePublish(), Root);

        (int exitCode, string output) = await Shell.RunAsync(Script("install.sh"), "--from", published, Root);

        Assert.True(exitCode == 0, output);
        Assert.Contains("install: build: Native AOT", output, StringComparison.Ordinal);
        await RootAccounts.AssertEntryAsync(At("usr/lib/provisioningd/provisioningd"), "755", 0, 0);
        Assert.False(File.Exists(At("usr/lib/provisioningd/provisioningd.dll")));
        Assert.False(Directory.Exists(At("usr/lib/systemd/system/provisioningd.service.d")));
        Assert.Equal("yes", DeployFiles.Setting(DeployFiles.Systemd("provisioningd.service"), "MemoryDenyWriteExecute"));
    }

    [RootFact]
    public async Task Install_NativeAotFolderWithSymbols_KeepsTheSymbolFileOffTheDeviceUnderItsBuildId()
    {
        string published = FakePublish(jit: false);
        await File.WriteAllTextAsync(Path.Combine(published, "provisioningd.dbg"), "symbols of this build", TestContext.Current.CancellationToken);
        string symbols = _temp.Combine("symbols");
        string buildId = await Readelf.BuildIdAsync(Path.Combine(published, "provisioningd"));

        (int exitCode, string output) = await Shell.RunAsync(Script("install.sh"), "--from", published, "--symbols", symbols, "--no-enable", Root);

        Assert.True(exitCode == 0, output);
        Assert.Equal("symbols of this build", await File.ReadAllTextAsync(Path.Combine(symbols, $"provisioningd-{buildId}.dbg"), TestContext.Current.CancellationToken));
        Assert.Contains($"install: symbols: {symbols}/provisioningd-{buildId}.dbg (build ID {buildId};", output, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(Root, "*.dbg", SearchOption.AllDirectories));
    }

    [RootFact]
    public async Task Install_JitOptionWithANativeAotFolder_RefusesAndInstallsNothing()
    {
        (int exitCode, string output) = await Shell.RunAsync(Script("install.sh"), "--jit", "--from", FakePublish(jit: false), Root);

        Assert.Equal(2, exitCode);
        Assert.Contains("holds a Native AOT build", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(At("usr/lib/provisioningd")));
    }

    [RootFact]
    public async Task Install_RidLinuxArm64_InstallsAFolderPublishedForArm64()
    {
        string published = FakePublish(jit: false, machine: ElfMachineArm64);

        (int exitCode, string output) = await Shell.RunAsync(Script("install.sh"), "--rid", "linux-arm64", "--from", published, "--no-enable", Root);

        Assert.True(exitCode == 0, output);
        Assert.Contains("cpu: arm64 (linux-arm64)", output, StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(published, "provisioningd")), await File.ReadAllBytesAsync(At("usr/lib/provisioningd/provisioningd")));
        await RootAccounts.AssertEntryAsync(At("usr/lib/provisioningd/provisioningd"), "755", 0, 0);
    }

    [RootFact]
    public async Task Install_FolderForAnotherCpuThanRid_RefusesNamingBothAndInstallsNothing()
    {
        (string Rid, ushort Machine, string Message)[] cases =
        [
            ("linux-arm64", ElfMachineX64, "is for x86-64, not for linux-arm64 (arm64)"),
            ("linux-x64", ElfMachineArm64, "is for arm64, not for linux-x64 (x86-64)"),
            ("linux-arm", ElfMachineArm64, "is for arm64, not for linux-arm (arm)"),
        ];
        foreach ((string rid, ushort machine, string message) in cases)
        {
            (int exitCode, string output) = await Shell.RunAsync(Script("install.sh"), "--rid", rid, "--from", FakePublish(jit: false, machine), Root);

            Assert.True(exitCode == 2, $"{rid}: exit {exitCode}: {output}");
            Assert.Contains(message, output, StringComparison.Ordinal);
            Assert.False(Directory.Exists(At("usr/lib/provisioningd")));
        }
    }

    [RootFact]
    public async Task Install_WithoutRoot_FailsWithUsage()
    {
        (int exitCode, string output) = await Shell.RunAsync(Script("install.sh"));

        Assert.Equal(2, exitCode);
        Assert.Contains("usage:", output, StringComparison.Ordinal);
    }

    private static string Script(string name) => Path.Combine(DeployFiles.Directory, name);

    private string At(string relative) => Path.Combine(Root, relative);

    /// <summary>
    /// A folder shaped like `dotnet publish` output (publishing for real takes minutes): the JIT build's
    /// (provisioningd.dll beside the executable) or the Native AOT build's (the executable alone). The executable
    /// is this machine's /bin/true, its ELF header's e_machine (offset 18) set to <paramref name="machine"/> when given.
    /// </summary>
    private string FakePublish(bool jit = true, ushort? machine = null)
    {
        string folder = _temp.Combine(jit ? "publish-jit" : "publish-aot");
        Directory.CreateDirectory(Path.Combine(folder, "sub"));
        File.Copy("/bin/true", Path.Combine(folder, "provisioningd"), overwrite: true);
        if (machine is ushort value)
        {
            using var executable = new FileStream(Path.Combine(folder, "provisioningd"), FileMode.Open, FileAccess.Write);
            executable.Position = 18;
            executable.Write([(byte)value, (byte)(value >> 8)]);
        }

        if (jit)
        {
            File.WriteAllText(Path.Combine(folder, "provisioningd.dll"), "assembly");
        }

        File.WriteAllText(Path.Combine(folder, "provisioningd.pdb"), "symbols");
        File.WriteAllText(Path.Combine(folder, "sub", "native.so"), "library");
        return folder;
    }
}
