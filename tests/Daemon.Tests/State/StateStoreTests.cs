using System.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Testing;
using Provisioning.Daemon.Common.Files;
using Provisioning.Daemon.State;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.State;

public sealed class StateStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeLogger _logger = new();

    private string StateDirectory => _temp.Combine("state");

    private string StateFile => Path.Combine(StateDirectory, StateFileFormat.StateFileName);

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Save_ThenLoad_RoundTripsKeysIndexesAndStatus()
    {
        var document = StoreSamples.Document();
        StoreSamples.CreateStore(StateDirectory).Save(StoreSamples.State(document), StoreSamples.DeviceId);

        StoredState loaded = StoreSamples.CreateStore(StateDirectory).Load(StoreSamples.DeviceId);

        Assert.Equal(200, loaded.Status);
        Assert.Equal(1, loaded.Indexes["netflix"]);
        Assert.Equal(document.Issued, loaded.Provisioning!.Issued);
        Assert.Equal(document.Expires, loaded.Provisioning.Expires);
        Assert.Equal(["netflix", "playready"], loaded.Provisioning.SortedLabels());
        Assert.Equal(document.Find("playready")!.Keys[1], loaded.Provisioning.Find("playready")!.Keys[1]);
    }

    [Fact]
    public void Save_CreatesOwnerOnlyDirectoryAndFiles()
    {
        StoreSamples.CreateStore(StateDirectory).Save(StoreSamples.State(StoreSamples.Document()), StoreSamples.DeviceId);

        Assert.Equal(DurableFile.OwnerOnlyDirectory, File.GetUnixFileMode(StateDirectory));
        string[] files = Directory.GetFiles(StateDirectory);
        Assert.Equal(2, files.Length);
        Assert.All(files, file => Assert.Equal(DurableFile.OwnerOnlyFile, File.GetUnixFileMode(file)));
    }

    [Fact]
    public void Save_NewProvisioning_ReplacesTheKeyFileAndLeavesNoTemporaryFiles()
    {
        var store = StoreSamples.CreateStore(StateDirectory);
        store.Save(StoreSamples.State(StoreSamples.Document(seed: 1)), StoreSamples.DeviceId);
        string firstKeyFile = Directory.GetFiles(StateDirectory, "keys-*").Single();

        store.Save(StoreSamples.State(StoreSamples.Document(seed: 50)), StoreSamples.DeviceId);

        string secondKeyFile = Directory.GetFiles(StateDirectory, "keys-*").Single();
        Assert.NotEqual(firstKeyFile, secondKeyFile);
        Assert.Empty(Directory.GetFiles(StateDirectory, "*.tmp-*"));
        Assert.Equal(StoreSamples.Document(seed: 50).Find("netflix")!.Keys[0], StoreSamples.CreateStore(StateDirectory).Load(StoreSamples.DeviceId).Provisioning!.Find("netflix")!.Keys[0]);
    }

    [Fact]
    public void Load_NoStateFile_StartsEmpty()
    {
        StoredState loaded = StoreSamples.CreateStore(StateDirectory, _logger).Load(StoreSamples.DeviceId);

        Assert.Null(loaded.Provisioning);
        Assert.Equal(0, loaded.Status);
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 1201);
    }

    [Fact]
    public void Load_GarbageStateFile_MovesItAsideLogsAndStartsEmpty()
    {
        Directory.CreateDirectory(StateDirectory);
        File.WriteAllText(StateFile, "this is not json {{{");

        StoredState loaded = StoreSamples.CreateStore(StateDirectory, _logger).Load(StoreSamples.DeviceId);

        AssertMovedAside(loaded);
    }

    [Fact]
    public void Load_TruncatedStateFile_MovesItAsideAndStartsEmpty()
    {
        StoreSamples.CreateStore(StateDirectory).Save(StoreSamples.State(StoreSamples.Document()), StoreSamples.DeviceId);
        byte[] whole = File.ReadAllBytes(StateFile);
        File.WriteAllBytes(StateFile, whole[..(whole.Length / 2)]);

        AssertMovedAside(StoreSamples.CreateStore(StateDirectory, _logger).Load(StoreSamples.DeviceId));
    }

    [Fact]
    public void Save_WritesTheEnvelopeTheReadmeDescribes()
    {
        StoreSamples.CreateStore(StateDirectory).Save(StoreSamples.State(StoreSamples.Document()), StoreSamples.DeviceId);

        // README "State on disk": {"format":1,"checksum":"sha256:<hex of the payload>","payload":"<base64>"}, no keys.
        JsonObject envelope = JsonNode.Parse(File.ReadAllBytes(StateFile))!.AsObject();
        Assert.Equal(["format", "checksum", "payload"], envelope.Select(p => p.Key));
        Assert.Equal(1, (int)envelope["format"]!);
        byte[] payload = Convert.FromBase64String((string)envelope["payload"]!);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(payload)), (string)envelope["checksum"]!);
        string recorded = Encoding.UTF8.GetString(payload);
        Assert.Contains($"\"{StoreSamples.DeviceId}\"", recorded, StringComparison.Ordinal);
        Assert.Contains("\"status\":200", recorded, StringComparison.Ordinal);
        foreach (byte[] key in StoreSamples.Document().Labels.SelectMany(l => l.Keys))
        {
            Assert.DoesNotContain(Convert.ToBase64String(key), recorded, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToHexString(key), recorded, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Load_PayloadChangedWithoutChecksum_MovesItAside()
    {
        StoreSamples.CreateStore(StateDirectory).Save(StoreSamples.State(StoreSamples.Document()), StoreSamples.DeviceId);
        JsonObject envelope = JsonNode.Parse(File.ReadAllBytes(StateFile))!.AsObject();
        string payload = Encoding.UTF8.GetString(Convert.FromBase64String((string)envelope["payload"]!));
        Assert.Contains("\"status\":200", payload, StringComparison.Ordinal);
        envelope["payload"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(payload.Replace("\"status\":200", "\"status\":201", StringComparison.Ordinal)));
        File.WriteAllText(StateFile, envelope.ToJsonString());

        AssertMovedAside(StoreSamples.CreateStore(StateDirectory, _logger).Load(StoreSamples.DeviceId), "checksum");
    }

    [Theory]
    [InlineData("issued", "the provisioning's issue time is missing")]
    [InlineData("keyFile", "the key material reference is invalid")]
    public void Load_APayloadWithAFieldNulledAndItsChecksumRecomputed_MovesItAsideNamingWhatIsWrong(string field, string reason)
    {
        StoreSamples.CreateStore(StateDirectory).Save(StoreSamples.State(StoreSamples.Document()), StoreSamples.DeviceId);
        JsonObject envelope = JsonNode.Parse(File.ReadAllBytes(StateFile))!.AsObject();
        JsonObject payload = JsonNode.Parse(Convert.FromBase64String((string)envelope["payload"]!))!.AsObject();
        Assert.True(payload.ContainsKey(field));
        payload[field] = field == "keyFile" ? "../elsewhere.bin" : null;
        byte[] bytes = Encoding.UTF8.GetBytes(payload.ToJsonString());
        envelope["payload"] = Convert.ToBase64String(bytes);
        envelope["checksum"] = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
        File.WriteAllText(StateFile, envelope.ToJsonString());

        AssertMovedAside(StoreSamples.CreateStore(StateDirectory, _logger).Load(StoreSamples.DeviceId), reason);
    }

    [Fact]
    public void Load_FileFromANewerVersion_MovesItAsideNamingTheFormat()
    {
        StoreSamples.CreateStore(StateDirectory).Save(StoreSamples.State(StoreSamples.Document()), StoreSamples.DeviceId);
        JsonObject envelope = JsonNode.Parse(File.ReadAllBytes(StateFile))!.AsObject();
        envelope["format"] = 2;
        File.WriteAllText(StateFile, envelope.ToJsonString());

        AssertMovedAside(StoreSamples.CreateStore(StateDirectory, _logger).Load(StoreSamples.DeviceId), "newer version");
    }

    [Fact]
    public void Load_FlippedByteInKeyMaterial_MovesItAside()
    {
        StoreSamples.CreateStore(StateDirectory).Save(StoreSamples.State(StoreSamples.Document()), StoreSamples.DeviceId);
        string keyFile = Directory.GetFiles(StateDirectory, "keys-*").Single();
        byte[] bytes = File.ReadAllBytes(keyFile);
        bytes[bytes.Length / 2] ^= 0x01;
        File.WriteAllBytes(keyFile, bytes);

        AssertMovedAside(StoreSamples.CreateStore(StateDirectory, _logger).Load(StoreSamples.DeviceId), "key material checksum");
        AssertKeyMaterialKeptAside(keyFile, bytes);
    }

    [Fact]
    public void Load_StateOfAnotherDevice_KeepsItsKeyMaterialAsideWithIt()
    {
        StoreSamples.CreateStore(StateDirectory).Save(StoreSamples.State(StoreSamples.Document()), StoreSamples.DeviceId);
        string keyFile = Directory.GetFiles(StateDirectory, "keys-*").Single();
        byte[] keyMaterial = File.ReadAllBytes(keyFile);
        var otherDevice = StoreSamples.CreateStore(StateDirectory, _logger);

        otherDevice.Load("WPE0000000000002");
        otherDevice.Save(StoreSamples.State(StoreSamples.Document(seed: 2)), StoreSamples.DeviceId);
        StoreSamples.CreateStore(StateDirectory).Load(StoreSamples.DeviceId);

        AssertKeyMaterialKeptAside(keyFile, keyMaterial);
        Assert.Single(Directory.GetFiles(StateDirectory, "keys-*.bin"));
    }

    [Fact]
    public void Load_StateFileIsADirectory_SetsItAsideAndTheNextWriteWorks()
    {
        var store = StoreSamples.CreateStore(StateDirectory, _logger);
        store.Save(StoreSamples.State(StoreSamples.Document()), StoreSamples.DeviceId);
        string keyFile = Directory.GetFiles(StateDirectory, "keys-*").Single();
        byte[] keyMaterial = File.ReadAllBytes(keyFile);
        File.Delete(StateFile);
        Directory.CreateDirectory(StateFile);

        StoredState loaded = StoreSamples.CreateStore(StateDirectory, _logger).Load(StoreSamples.DeviceId);

        Assert.Null(loaded.Provisioning);
        Assert.Single(Directory.GetDirectories(StateDirectory, "state.json.bad-*"));
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 1202 && r.Message.Contains("directory", StringComparison.Ordinal));
        AssertKeyMaterialKeptAside(keyFile, keyMaterial);
        StoreSamples.CreateStore(StateDirectory).Save(StoreSamples.State(StoreSamples.Document(seed: 3)), StoreSamples.DeviceId);
        Assert.NotNull(StoreSamples.CreateStore(StateDirectory).Load(StoreSamples.DeviceId).Provisioning);
    }

    [Fact]
    public void Load_StateOfAnotherDevice_MovesItAside()
    {
        StoreSamples.CreateStore(StateDirectory).Save(StoreSamples.State(StoreSamples.Document()), StoreSamples.DeviceId);

        AssertMovedAside(StoreSamples.CreateStore(StateDirectory, _logger).Load("WPE0000000000002"), "another provision ID");
    }

    [RootTheory]
    [InlineData("state")]
    [InlineData("keys")]
    public async Task Load_AFileOfAnotherUid_IsNotTrustedButSetAside(string which)
    {
        // Whoever owns a file in the directory could have written it: keys the daemon would hand to its callers.
        StoreSamples.CreateStore(StateDirectory).Save(StoreSamples.State(StoreSamples.Document()), StoreSamples.DeviceId);
        string file = which == "state" ? StateFile : Directory.GetFiles(StateDirectory, "keys-*").Single();
        await Shell.RunCheckedAsync("chown", "65534:65534", file);

        AssertMovedAside(StoreSamples.CreateStore(StateDirectory, _logger).Load(StoreSamples.DeviceId), "is owned by uid 65534, not by the daemon's uid 0");
    }

    [Fact]
    public void Load_AKeyFileThatIsALinkElsewhere_IsNotTrustedButSetAside()
    {
        StoreSamples.CreateStore(StateDirectory).Save(StoreSamples.State(StoreSamples.Document()), StoreSamples.DeviceId);
        string keyFile = Directory.GetFiles(StateDirectory, "keys-*").Single();
        string elsewhere = _temp.Combine("planted.bin");
        File.Move(keyFile, elsewhere);
        File.CreateSymbolicLink(keyFile, elsewhere);

        AssertMovedAside(StoreSamples.CreateStore(StateDirectory, _logger).Load(StoreSamples.DeviceId), "is a symbolic link");
    }

    [RootFact]
    public async Task Load_ADirectoryOfAnotherUid_IsUnusable()
    {
        StoreSamples.CreateStore(StateDirectory).Save(StoreSamples.State(StoreSamples.Document()), StoreSamples.DeviceId);
        await Shell.RunCheckedAsync("chown", "65534:65534", StateDirectory);

        var error = Assert.Throws<StateStoreException>(() => StoreSamples.CreateStore(StateDirectory, _logger).Load(StoreSamples.DeviceId));

        Assert.Contains("is owned by uid 65534, not by the daemon's uid 0", error.Message, StringComparison.Ordinal);
        Assert.True(File.Exists(StateFile)); // left as it is, for whoever put it there to explain
    }

    [RootFact]
    public async Task Save_ReadOnlyDirectory_ThrowsAndKeepsThePreviousState()
    {
        var store = StoreSamples.CreateStore(StateDirectory, _logger);
        store.Save(StoreSamples.State(StoreSamples.Document(seed: 1)), StoreSamples.DeviceId);
        await Shell.RunCheckedAsync("chattr", "+i", StateDirectory);
        try
        {
            Assert.Throws<StateStoreException>(() => store.Save(StoreSamples.State(StoreSamples.Document(seed: 60)), StoreSamples.DeviceId));
        }
        finally
        {
            await Shell.RunCheckedAsync("chattr", "-i", StateDirectory);
        }

        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 1205);
        StoredState loaded = StoreSamples.CreateStore(StateDirectory).Load(StoreSamples.DeviceId);
        Assert.Equal(StoreSamples.Document(seed: 1).Find("netflix")!.Keys[0], loaded.Provisioning!.Find("netflix")!.Keys[0]);
    }

    [RootFact]
    public async Task Load_ReadOnlyDirectory_RestoresTheStoredState()
    {
        // A file system mounted read-only (here an immutable directory) keeps the keys readable: only writes fail.
        StoreSamples.CreateStore(StateDirectory).Save(StoreSamples.State(StoreSamples.Document(seed: 3)), StoreSamples.DeviceId);
        await Shell.RunCheckedAsync("chattr", "+i", StateDirectory);
        try
        {
            StoredState loaded = StoreSamples.CreateStore(StateDirectory, _logger).Load(StoreSamples.DeviceId);

            Assert.Equal(StoreSamples.Document(seed: 3).Find("netflix")!.Keys[0], loaded.Provisioning!.Find("netflix")!.Keys[0]);
            Assert.DoesNotContain(_logger.Collector.GetSnapshot(), r => r.Id.Id == 1207);
        }
        finally
        {
            await Shell.RunCheckedAsync("chattr", "-i", StateDirectory);
        }
    }

    [RootFact]
    public async Task Save_FullDisk_ThrowsLeavesNoPartialFileAndKeepsThePreviousState()
    {
        Directory.CreateDirectory(StateDirectory);
        await Shell.RunCheckedAsync("mount", "-t", "tmpfs", "-o", "size=64k,mode=0700", "tmpfs", StateDirectory);
        try
        {
            var store = StoreSamples.CreateStore(StateDirectory, _logger);
            store.Save(StoreSamples.State(StoreSamples.Document(seed: 1)), StoreSamples.DeviceId);

            var huge = StoreSamples.Document(keysPerLabel: 4, keySize: 32 * 1024, seed: 70);
            Assert.Throws<StateStoreException>(() => store.Save(StoreSamples.State(huge), StoreSamples.DeviceId));

            Assert.Empty(Directory.GetFiles(StateDirectory, "*.tmp-*"));
            Assert.Single(Directory.GetFiles(StateDirectory, "keys-*"));
            StoredState loaded = StoreSamples.CreateStore(StateDirectory).Load(StoreSamples.DeviceId);
            Assert.Equal(StoreSamples.Document(seed: 1).Find("netflix")!.Keys[0], loaded.Provisioning!.Find("netflix")!.Keys[0]);
        }
        finally
        {
            await Shell.RunCheckedAsync("umount", StateDirectory);
        }
    }

    [Fact]
    public void Load_LeftoversOfAnInterruptedWrite_AreRemoved()
    {
        StoreSamples.CreateStore(StateDirectory).Save(StoreSamples.State(StoreSamples.Document()), StoreSamples.DeviceId);
        File.WriteAllText(Path.Combine(StateDirectory, "state.json.tmp-1-abc"), "partial");
        File.WriteAllText(Path.Combine(StateDirectory, "keys-20260101000000-orphan.bin"), "orphan");

        StoredState loaded = StoreSamples.CreateStore(StateDirectory).Load(StoreSamples.DeviceId);

        Assert.NotNull(loaded.Provisioning);
        Assert.Equal(2, Directory.GetFiles(StateDirectory).Length);
    }

    /// <summary>The key file is kept, unchanged, under the suffix of the state moved aside; it is no longer a key file of the store.</summary>
    private void AssertKeyMaterialKeptAside(string keyFile, byte[] content)
    {
        string stateAside = Directory.GetFileSystemEntries(StateDirectory, "state.json.bad-*").Single();
        string aside = keyFile + Path.GetFileName(stateAside)["state.json".Length..];
        Assert.Equal(content, File.ReadAllBytes(aside));
        Assert.False(File.Exists(keyFile));
        Assert.Contains(_logger.Collector.GetSnapshot(), r => r.Id.Id == 1254 && r.Message.Contains(aside, StringComparison.Ordinal));
    }

    private void AssertMovedAside(StoredState loaded, string? reason = null)
    {
        Assert.Null(loaded.Provisioning);
        Assert.False(File.Exists(StateFile));
        Assert.Single(Directory.GetFiles(StateDirectory, "state.json.bad-*"));
        var record = Assert.Single(_logger.Collector.GetSnapshot(), r => r.Id.Id == 1202);
        if (reason is not null)
        {
            Assert.Contains(reason, record.Message, StringComparison.Ordinal);
        }
    }
}
