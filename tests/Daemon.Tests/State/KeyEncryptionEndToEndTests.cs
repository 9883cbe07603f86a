using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.State;

/// <summary>The whole daemon with a key-encryption key: a key change after provisioning is survived, not crashed on.</summary>
public sealed class KeyEncryptionEndToEndTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Restart_WithAnotherKey_MovesTheStateAsideAndProvisionsAgain()
    {
        string key = KeyEncryptionSamples.WriteKeyFile(_temp.Combine("kek"));
        await using TestDaemon daemon = await TestDaemon.StartAsync(o => o.Settings["State:KeyEncryptionKeyFile"] = key);
        await daemon.WaitForStateAsync(s => s.IsProvisioned);
        Assert.Equal("PVDK"u8.ToArray(), File.ReadAllBytes(KeyEncryptionSamples.KeyFileIn(daemon.StateDirectory))[..4]);

        KeyEncryptionSamples.WriteKeyFile(key);
        await daemon.RestartAsync();

        await daemon.WaitForStateAsync(s => s.IsProvisioned && s.Status == 200);
        Assert.Single(Directory.GetFiles(daemon.StateDirectory, "state.json.bad-*"));
        Assert.Equal(2, daemon.Simulator!.Requests.Count(r => r.Path.EndsWith("/provision", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Start_WithAnUnreadableKeyFile_FailsValidationNamingTheSetting()
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => TestDaemon.StartAsync(o => o.Settings["State:KeyEncryptionKeyFile"] = _temp.Combine("missing")));

        Assert.Contains("State:KeyEncryptionKeyFile", failure.ToString(), StringComparison.Ordinal);
    }
}
