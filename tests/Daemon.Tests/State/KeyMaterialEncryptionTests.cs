using System.Text;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Model;
using Provisioning.Daemon.State;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.State;

/// <summary>Key material at rest under a key-encryption key: through the real store, on real files.</summary>
public sealed class KeyMaterialEncryptionTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeLogger _logger = new();

    private string StateDirectory => _temp.Combine("state");

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Save_WithKey_ThenLoad_RoundTripsAndTheKeyFileIsSealed()
    {
        string key = KeyEncryptionSamples.WriteKeyFile(_temp.Combine("kek"));
        ProvisioningDocument document = StoreSamples.Document();
        KeyEncryptionSamples.CreateStore(StateDirectory, key).Save(StoreSamples.State(document), StoreSamples.DeviceId);

        StoredState loaded = KeyEncryptionSamples.CreateStore(StateDirectory, key).Load(StoreSamples.DeviceId);

        Assert.Equal("PVDK"u8.ToArray(), File.ReadAllBytes(KeyEncryptionSamples.KeyFileIn(StateDirectory))[..4]);
        Assert.Equal(1, loaded.Indexes["netflix"]);
        Assert.Equal(document.Find("playready")!.Keys[1], loaded.Provisioning!.Find("playready")!.Keys[1]);
        Assert.Equal(document.Find("netflix")!.Keys[0], loaded.Provisioning.Find("netflix")!.Keys[0]);
    }

    [Fact]
    public void Save_WithKey_NoPlaintextKeyBytesAnywhereInTheStateDirectory()
    {
        string key = KeyEncryptionSamples.WriteKeyFile(_temp.Combine("kek"));
        ProvisioningDocument document = StoreSamples.Document(keysPerLabel: 4, keySize: 48);
        var store = KeyEncryptionSamples.CreateStore(StateDirectory, key);
        store.Save(StoreSamples.State(document), StoreSamples.DeviceId);
        store.Save(StoreSamples.State(document, netflixSlot: 2), StoreSamples.DeviceId);

        byte[][] files = [.. Directory.GetFiles(StateDirectory, "*", SearchOption.AllDirectories).Select(File.ReadAllBytes)];
        Assert.Equal(2, files.Length);
        foreach (byte[] secret in document.Labels.SelectMany(t => t.Keys).Select(k => k.ToArray()))
        {
            byte[] base64 = Encoding.ASCII.GetBytes(Convert.ToBase64String(secret));
            Assert.DoesNotContain(files, file => KeyEncryptionSamples.Contains(file, secret[..16]) || KeyEncryptionSamples.Contains(file, base64[..16]));
        }
    }

    [Fact]
    public void Load_WrongKey_MovesAsideAndStartsUnprovisioned()
    {
        string key = KeyEncryptionSamples.WriteKeyFile(_temp.Combine("kek"));
        string other = KeyEncryptionSamples.WriteKeyFile(_temp.Combine("other"));
        KeyEncryptionSamples.CreateStore(StateDirectory, key).Save(StoreSamples.State(StoreSamples.Document()), StoreSamples.DeviceId);

        StoredState loaded = KeyEncryptionSamples.CreateStore(StateDirectory, other, logger: _logger).Load(StoreSamples.DeviceId);

        Assert.Null(loaded.Provisioning);
        Assert.Single(Directory.GetFiles(StateDirectory, "state.json.bad-*"));
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 1202 && r.Message.Contains("another key-encryption key", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_WrongKey_LosesNothing_BothFilesRenamedBackOpenWithTheRightKey()
    {
        string key = KeyEncryptionSamples.WriteKeyFile(_temp.Combine("kek"));
        string other = KeyEncryptionSamples.WriteKeyFile(_temp.Combine("other"));
        ProvisioningDocument document = StoreSamples.Document();
        KeyEncryptionSamples.CreateStore(StateDirectory, key).Save(StoreSamples.State(document), StoreSamples.DeviceId);

        KeyEncryptionSamples.CreateStore(StateDirectory, other, logger: _logger).Load(StoreSamples.DeviceId);

        string stateAside = Directory.GetFiles(StateDirectory, "state.json.bad-*").Single();
        string suffix = Path.GetFileName(stateAside)["state.json".Length..];
        string keyAside = Directory.GetFiles(StateDirectory, "keys-*.bin" + suffix).Single();
        Assert.Equal("PVDK"u8.ToArray(), File.ReadAllBytes(keyAside)[..4]);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 1254);
        Assert.DoesNotContain(_logger.Collector.GetSnapshot(), r => r.Id.Id == 1253);
        File.Move(stateAside, Path.Combine(StateDirectory, "state.json"));
        File.Move(keyAside, keyAside[..^suffix.Length]);
        StoredState restored = KeyEncryptionSamples.CreateStore(StateDirectory, key).Load(StoreSamples.DeviceId);
        Assert.Equal(document.Find("netflix")!.Keys[1], restored.Provisioning!.Find("netflix")!.Keys[1]);
    }

    [Theory]
    [InlineData(SealedKeyMaterial.HeaderSize + 3, "authentication tag")] // ciphertext
    [InlineData(SealedKeyMaterial.TagOffset + 1, "authentication tag")] // tag
    [InlineData(SealedKeyMaterial.NonceOffset, "authentication tag")] // nonce
    [InlineData(SealedKeyMaterial.KeyIdOffset - 1, "format version")] // version
    public void Load_FlippedByteWithMatchingChecksum_IsDetectedAndMovedAside(int offset, string reason)
    {
        string key = KeyEncryptionSamples.WriteKeyFile(_temp.Combine("kek"));
        KeyEncryptionSamples.CreateStore(StateDirectory, key).Save(StoreSamples.State(StoreSamples.Document()), StoreSamples.DeviceId);
        KeyEncryptionSamples.ForgeKeyFile(StateDirectory, bytes =>
        {
            bytes[offset] ^= 0x01;
            return bytes;
        });

        StoredState loaded = KeyEncryptionSamples.CreateStore(StateDirectory, key, logger: _logger).Load(StoreSamples.DeviceId);

        Assert.Null(loaded.Provisioning);
        Assert.Single(Directory.GetFiles(StateDirectory, "state.json.bad-*"));
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 1202 && r.Message.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_FlippedByteAlone_IsDetectedAndMovedAside()
    {
        string key = KeyEncryptionSamples.WriteKeyFile(_temp.Combine("kek"));
        KeyEncryptionSamples.CreateStore(StateDirectory, key).Save(StoreSamples.State(StoreSamples.Document()), StoreSamples.DeviceId);
        string keyFile = KeyEncryptionSamples.KeyFileIn(StateDirectory);
        byte[] bytes = File.ReadAllBytes(keyFile);
        bytes[^1] ^= 0x80;
        File.WriteAllBytes(keyFile, bytes);

        StoredState loaded = KeyEncryptionSamples.CreateStore(StateDirectory, key, logger: _logger).Load(StoreSamples.DeviceId);

        Assert.Null(loaded.Provisioning);
        Assert.Single(Directory.GetFiles(StateDirectory, "state.json.bad-*"));
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 1202 && r.Message.Contains("key material checksum mismatch", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, "not encrypted")] // not even the magic is left
    [InlineData(10, "truncated")]
    [InlineData(SealedKeyMaterial.HeaderSize - 1, "truncated")]
    [InlineData(SealedKeyMaterial.HeaderSize + 5, "authentication tag")] // a whole header, a cut ciphertext
    public void Load_TruncatedKeyFileWithMatchingChecksum_IsDetectedAndMovedAside(int length, string reason)
    {
        string key = KeyEncryptionSamples.WriteKeyFile(_temp.Combine("kek"));
        KeyEncryptionSamples.CreateStore(StateDirectory, key).Save(StoreSamples.State(StoreSamples.Document()), StoreSamples.DeviceId);
        KeyEncryptionSamples.ForgeKeyFile(StateDirectory, bytes => bytes[..length]);

        StoredState loaded = KeyEncryptionSamples.CreateStore(StateDirectory, key, logger: _logger).Load(StoreSamples.DeviceId);

        Assert.Null(loaded.Provisioning);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 1202 && r.Message.Contains(reason, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_PlaintextKeyFileWhileAKeyIsConfigured_IsRefused()
    {
        StoreSamples.CreateStore(StateDirectory).Save(StoreSamples.State(StoreSamples.Document()), StoreSamples.DeviceId);
        string key = KeyEncryptionSamples.WriteKeyFile(_temp.Combine("kek"));

        StoredState loaded = KeyEncryptionSamples.CreateStore(StateDirectory, key, logger: _logger).Load(StoreSamples.DeviceId);

        Assert.Null(loaded.Provisioning);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 1202 && r.Message.Contains("not encrypted", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_SealedKeyFileWithoutAKey_IsRefusedNotHandedOut()
    {
        string key = KeyEncryptionSamples.WriteKeyFile(_temp.Combine("kek"));
        KeyEncryptionSamples.CreateStore(StateDirectory, key).Save(StoreSamples.State(StoreSamples.Document()), StoreSamples.DeviceId);

        StoredState loaded = StoreSamples.CreateStore(StateDirectory, _logger).Load(StoreSamples.DeviceId);

        Assert.Null(loaded.Provisioning);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 1202 && r.Message.Contains("no key-encryption key", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_AfterRotation_ReencryptsUnderTheNewKeyAtOnce()
    {
        string oldKey = KeyEncryptionSamples.WriteKeyFile(_temp.Combine("old"));
        string newKey = KeyEncryptionSamples.WriteKeyFile(_temp.Combine("new"));
        ProvisioningDocument document = StoreSamples.Document();
        KeyEncryptionSamples.CreateStore(StateDirectory, oldKey).Save(StoreSamples.State(document), StoreSamples.DeviceId);
        byte[] underOldKey = File.ReadAllBytes(KeyEncryptionSamples.KeyFileIn(StateDirectory));

        StoredState loaded = KeyEncryptionSamples.CreateStore(StateDirectory, newKey, previousKeyFile: oldKey, logger: _logger).Load(StoreSamples.DeviceId);

        byte[] underNewKey = File.ReadAllBytes(KeyEncryptionSamples.KeyFileIn(StateDirectory));
        Assert.NotEqual(underOldKey[SealedKeyMaterial.KeyIdOffset..SealedKeyMaterial.NonceOffset], underNewKey[SealedKeyMaterial.KeyIdOffset..SealedKeyMaterial.NonceOffset]);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 1251);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 1252);
        Assert.Equal(document.Find("netflix")!.Keys[1], loaded.Provisioning!.Find("netflix")!.Keys[1]);
        StoredState withNewKeyOnly = KeyEncryptionSamples.CreateStore(StateDirectory, newKey).Load(StoreSamples.DeviceId);
        Assert.Equal(document.Find("netflix")!.Keys[1], withNewKeyOnly.Provisioning!.Find("netflix")!.Keys[1]);
        Assert.Single(Directory.GetFiles(StateDirectory, "keys-*"));
    }

    [Fact]
    public void Load_PlaintextKeyFileWhileAKeyIsConfigured_RemovalIsNotCalledALeftover()
    {
        StoreSamples.CreateStore(StateDirectory).Save(StoreSamples.State(StoreSamples.Document()), StoreSamples.DeviceId);
        string key = KeyEncryptionSamples.WriteKeyFile(_temp.Combine("kek"));

        KeyEncryptionSamples.CreateStore(StateDirectory, key, logger: _logger).Load(StoreSamples.DeviceId);

        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 1253);
        Assert.DoesNotContain(_logger.Collector.GetSnapshot(), r => r.Id.Id == 1208);
        Assert.Empty(Directory.GetFiles(StateDirectory, "keys-*"));
    }

    [Fact]
    public void Validate_EncryptedKeyMaterialAndNoKey_RefusedUnlessPlaintextIsAllowed()
    {
        string key = KeyEncryptionSamples.WriteKeyFile(_temp.Combine("kek"));
        KeyEncryptionSamples.CreateStore(StateDirectory, key).Save(StoreSamples.State(StoreSamples.Document()), StoreSamples.DeviceId);
        var validator = new KeyEncryptionOptionsValidator(credentialsDirectory: null);

        ValidateOptionsResult withoutKey = validator.Validate(null, new StateOptions { Directory = StateDirectory });
        ValidateOptionsResult allowed = validator.Validate(null, new StateOptions { Directory = StateDirectory, AllowPlaintextKeys = true });
        ValidateOptionsResult withKey = validator.Validate(null, new StateOptions { Directory = StateDirectory, KeyEncryptionKeyFile = key });

        Assert.True(withoutKey.Failed);
        Assert.StartsWith("AllowPlaintextKeys: the key material in " + StateDirectory + " is encrypted", Assert.Single(withoutKey.Failures!), StringComparison.Ordinal);
        Assert.True(allowed.Succeeded);
        Assert.True(withKey.Succeeded);
    }

    [Fact]
    public void Validate_PlaintextKeyMaterialAndNoKey_IsFine()
    {
        StoreSamples.CreateStore(StateDirectory).Save(StoreSamples.State(StoreSamples.Document()), StoreSamples.DeviceId);

        Assert.True(new KeyEncryptionOptionsValidator(credentialsDirectory: null).Validate(null, new StateOptions { Directory = StateDirectory }).Succeeded);
    }

    [Fact]
    public void Load_KeyFromCredentialsDirectory_IsUsedWhenNoFileIsConfigured()
    {
        string credentials = _temp.Combine("credentials");
        string credential = KeyEncryptionSamples.WriteKeyFile(Path.Combine(credentials, KeyEncryptionKeys.CredentialName));
        KeyEncryptionSamples.CreateStore(StateDirectory, keyFile: null, credentialsDirectory: credentials)
            .Save(StoreSamples.State(StoreSamples.Document()), StoreSamples.DeviceId);

        Assert.NotNull(KeyEncryptionSamples.CreateStore(StateDirectory, credential).Load(StoreSamples.DeviceId).Provisioning);
        Assert.Equal("PVDK"u8.ToArray(), File.ReadAllBytes(KeyEncryptionSamples.KeyFileIn(StateDirectory))[..4]);
    }
}
