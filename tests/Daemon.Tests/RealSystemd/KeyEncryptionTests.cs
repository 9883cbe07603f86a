using Provisioning.Daemon.Tests.Deploy;

namespace Provisioning.Daemon.Tests.RealSystemd;

/// <summary>
/// Keys at rest under the real systemd, set up, rotated and turned off by running README.md's own commands
/// (blocks marked `test: keys-*`) on a device installed by install.sh.
/// </summary>
[Collection(RealSystemdDevice.Name)]
public sealed class KeyEncryptionTests(RealSystemdFixture device)
{
    private const string StateDirectory = "/var/lib/provisioning";

    [RealSystemdFact]
    public Task EncryptedCredential_SetUpRotatedAndTurnedOff_AsTheReadmeSays() =>
        SetUpRotateAndTurnOffAsync("keys-encrypted-setup", "keys-encrypted-rotate", "/etc/credstore.encrypted/provisioningd.kek");

    [RealSystemdFact]
    public Task PlainCredential_SetUpRotatedAndTurnedOff_AsTheReadmeSays() =>
        SetUpRotateAndTurnOffAsync("keys-plain-setup", "keys-plain-rotate", "/etc/credstore/provisioningd.kek");

    [RealSystemdFact]
    public void Readme_DropInsItNamesAreShippedAndInstalled()
    {
        foreach (string name in (string[])["key-encryption.conf", "key-encryption-previous.conf", "key-encryption-plain.conf", "key-encryption-plain-previous.conf"])
        {
            Assert.True(File.Exists(DeployFiles.Systemd(name)), name);
            Assert.Contains("/usr/share/doc/provisioningd/" + name, device.InstallOutput, StringComparison.Ordinal);
        }

        Assert.Contains("/etc/credstore, /etc/credstore.encrypted (0700 root", device.InstallOutput, StringComparison.Ordinal);
    }

    private async Task SetUpRotateAndTurnOffAsync(string setUp, string rotate, string credential)
    {
        // A device provisioned with plaintext keys, as before encryption was configured.
        await device.ResetAsync();
        await WaitForProvisionedAsync();
        Assert.Equal("700 root root", (await device.Container.RunCheckedAsync("stat", "-c", "%a %U %G", Path.GetDirectoryName(credential)!)).Trim());

        await RunReadmeAsync(setUp);

        await WaitForProvisionedAsync();
        string keyId = await StoredKeyIdAsync();
        List<JournalEntry> journal = await device.JournalAsync();
        Assert.Contains(journal, e => e.Message.Contains("[1250]", StringComparison.Ordinal) && e.Message.Contains(keyId, StringComparison.Ordinal));
        Assert.Contains(journal, e => e.Message.Contains("[1253]", StringComparison.Ordinal));
        Assert.DoesNotContain(journal, e => e.Message.Contains("[1208]", StringComparison.Ordinal));
        using var client = device.Client();
        byte[] key = (await client.GetKeyAsync("netflix")).Key.ToByteArray();
        await AssertNotOnDiskAsync(key);

        string requests = await BackOfficeRequestsAsync();
        await RunReadmeAsync(rotate);

        string rotatedKeyId = await StoredKeyIdAsync();
        Assert.NotEqual(keyId, rotatedKeyId);
        Assert.Equal(requests, await BackOfficeRequestsAsync());
        Assert.Contains(await device.JournalAsync(), e => e.Message.Contains("[1252]", StringComparison.Ordinal) && e.Message.Contains(rotatedKeyId, StringComparison.Ordinal));
        // The old key is gone: the new one alone opens the state.
        await device.Container.RunCheckedAsync("timeout", "60", "systemctl", "restart", RealSystemdFixture.Unit);
        Assert.Equal(key, (await client.GetKeyAsync("netflix")).Key.ToByteArray());
        Assert.Equal(requests, await BackOfficeRequestsAsync());

        // The key's drop-in and credential removed without saying plaintext is intended: refused, nothing changes.
        await device.Container.ShCheckedAsync($"rm {RealSystemdFixture.DropInDirectory}/key-encryption.conf {credential} && systemctl daemon-reload");
        (int refused, _) = await device.Container.RunAsync("timeout", "60", "systemctl", "restart", RealSystemdFixture.Unit);
        Assert.NotEqual(0, refused);
        await device.WaitUntilAsync(async () => await device.ShowAsync("ActiveState") == "failed", "refused");
        Assert.Equal("78", await device.ShowAsync("ExecMainStatus"));
        JournalEntry why = Assert.Single(await device.JournalAsync(), e => e.Message.Contains("State:AllowPlaintextKeys: the key material", StringComparison.Ordinal));
        Assert.Equal(3, why.Priority);
        Assert.Equal(rotatedKeyId, await StoredKeyIdAsync());

        // Said in the configuration, as the README shows: provisioned again, stored in plaintext.
        string off = ReadmeCommands.Block("keys-off");
        Assert.Contains("sudoedit " + RealSystemdFixture.ConfigFile + "     # \"State\": { \"AllowPlaintextKeys\": true }", off, StringComparison.Ordinal);
        await device.WriteConfigurationAsync(RealSystemdFixture.DefaultConfiguration(""","State":{"AllowPlaintextKeys":true}"""));
        await device.Container.RunCheckedAsync("systemctl", "reset-failed", RealSystemdFixture.Unit);
        await RunReadmeAsync("keys-off", skipLinesStartingWith: "sudoedit ");

        await WaitForProvisionedAsync();
        Assert.Equal("plaintext", await StoredKeyIdAsync());
        Assert.Contains(await device.JournalAsync(), e => e.Message.Contains("[1206]", StringComparison.Ordinal) && e.Priority == 4);
    }

    private async Task RunReadmeAsync(string block, string? skipLinesStartingWith = null)
    {
        string script = ReadmeCommands.Script(ReadmeCommands.Block(block));
        if (skipLinesStartingWith is not null)
        {
            script = string.Join('\n', script.Split('\n').Where(l => !l.StartsWith(skipLinesStartingWith, StringComparison.Ordinal)));
        }

        (int exitCode, string output) = await device.Container.RunAsync("/bin/sh", "-e", "-x", "-c", script);
        Assert.True(exitCode == 0, $"README block {block} failed ({exitCode}):\n{output}\n{await device.StatusAsync()}");
    }

    private Task WaitForProvisionedAsync() =>
        device.WaitUntilAsync(async () => await device.ShowAsync("StatusText") == "provisioned, 3 labels", "provisioned");

    /// <summary>The key id in the stored key file's header (PVDK, version, 8-byte id), or "plaintext".</summary>
    private async Task<string> StoredKeyIdAsync()
    {
        string header = (await device.Container.ShCheckedAsync($"od -An -tx1 -N13 {StateDirectory}/keys-*.bin | tr -d ' \\n'")).Trim();
        return header.StartsWith("5056444b01", StringComparison.Ordinal) ? header[10..] : "plaintext";
    }

    private async Task AssertNotOnDiskAsync(byte[] key)
    {
        string hex = Convert.ToHexStringLower(key);
        (int found, string where) = await device.Container.ShAsync(
            $"for f in {StateDirectory}/* /etc/credstore*/*; do od -An -tx1 -v \"$f\" | tr -d ' \\n' | grep -q {hex} && echo \"$f\"; done; grep -rl '{Convert.ToBase64String(key)}' {StateDirectory} /run/provisioning /var/log 2>/dev/null");
        Assert.True(found != 0 || where.Trim().Length == 0, $"key bytes found in: {where}");
        (int _, string journal) = await device.Container.RunAsync("journalctl", "--no-pager", "-o", "cat");
        Assert.DoesNotContain(Convert.ToBase64String(key), journal, StringComparison.Ordinal);
    }

    private Task<string> BackOfficeRequestsAsync() =>
        device.Container.RunCheckedAsync("curl", "-sf", RealSystemdFixture.BackOfficeUrl + "admin/requests");
}
