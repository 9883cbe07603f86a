using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Model;
using Provisioning.Daemon.State;

namespace Provisioning.Daemon.Fuzz;

/// <summary>
/// The state directory as <see cref="StateStore.Load"/> finds it at start, in a real folder. The first byte of an
/// input chooses which file the rest of it is, the others being valid, so the fuzzer gets past the checksums:
/// 0 the state file itself; 1 the payload inside a valid envelope; 2 the key material (plaintext) of a valid state
/// file; 3 the encrypted key material file, with a key-encryption key configured. Load must never throw, and what
/// it returns must be a valid provisioning that a write and a second load give back unchanged.
/// </summary>
public sealed class StateFileTarget : FuzzTarget
{
    public const string DeviceId = "WPE00000uCfrLF45";

    /// <summary>The key file every mode but 2 and 3 finds beside the state file (what the seed payloads refer to).</summary>
    public const string KeyFileName = "keys-20261201000000-fuzz.bin";

    /// <summary>Valid plaintext key material: two labels, two keys each.</summary>
    public static readonly byte[] KeyMaterial = Encoding.UTF8.GetBytes(
        """{"labels":[{"label":"netflix","keys":["AQID","BAUG"]},{"label":"playready","keys":["BwgJ","CgsM"]}]}""");

    private static readonly byte[] KeyEncryptionKey = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    // One state directory per thread: the property tests run inputs on several threads at once.
    [ThreadStatic]
    private static Folders? _threadFolders;

    public override string Name => "state";

    /// <summary>The checksum the state format uses.</summary>
    public static string Checksum(ReadOnlySpan<byte> bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));

    /// <summary>A state file around this payload, as the store writes it.</summary>
    public static byte[] Envelope(ReadOnlySpan<byte> payload) => Encoding.UTF8.GetBytes(
        $$"""{"format":1,"checksum":"{{Checksum(payload)}}","payload":"{{Convert.ToBase64String(payload)}}"}""");

    /// <summary>A valid payload of this device whose key material is in <paramref name="keyFile"/>.</summary>
    public static byte[] Payload(string keyFile, ReadOnlySpan<byte> keyFileBytes) => Encoding.UTF8.GetBytes(
        $$"""{"id":"{{DeviceId}}","status":200,"issued":"2026-11-25T10:00:00+00:00","expires":"2027-11-25T10:00:00+00:00","indexes":{"netflix":1},"keyFile":"{{keyFile}}","keyFileChecksum":"{{Checksum(keyFileBytes)}}"}""");

    protected override bool Feed(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return false;
        }

        Folders folders = _threadFolders ??= Folders.Create();
        string directory = folders.Clean();
        int mode = input[0] % 4;
        ReadOnlySpan<byte> data = input[1..];
        string keyFile = mode >= 2 ? "keys-20261201000000-input.bin" : KeyFileName;
        byte[] keyFileBytes = mode >= 2 ? data.ToArray() : KeyMaterial;
        File.WriteAllBytes(Path.Combine(directory, keyFile), keyFileBytes);
        byte[] stateFile = mode switch
        {
            0 => data.ToArray(),
            1 => Envelope(data),
            _ => Envelope(Payload(keyFile, keyFileBytes)),
        };
        File.WriteAllBytes(Path.Combine(directory, StateFileFormat.StateFileName), stateFile);

        bool encrypted = mode == 3;
        StoredState loaded = folders.Store(encrypted).Load(DeviceId);
        CheckValid(loaded);
        if (loaded.Provisioning is not null)
        {
            // Round trip: what was loaded, written and loaded again by a new store (a restart), is the same state.
            folders.Store(encrypted).Save(loaded, DeviceId);
            StoredState again = folders.Store(encrypted).Load(DeviceId);
            FuzzFindingException.Check(Same(loaded, again), "a loaded state, written and loaded again, changed");
        }

        return loaded.Provisioning is not null;
    }

    private static void CheckValid(StoredState state)
    {
        if (state.Provisioning is not { } document)
        {
            FuzzFindingException.Check(state.Indexes.IsEmpty && state.Status == 0, "a state without provisioning has slots or a status");
            return;
        }

        FuzzFindingException.Check(ProvisioningRules.Validate(document, DeviceId) is null, "Load returned an invalid provisioning: " + ProvisioningRules.Validate(document, DeviceId));
        foreach ((string label, int slot) in state.Indexes)
        {
            FuzzFindingException.Check(document.Find(label)?.HasSlot(slot) == true, $"Load returned slot {slot} of label '{label}', which does not exist");
        }
    }

    private static bool Same(StoredState a, StoredState b) =>
        a.Status == b.Status
        && a.Indexes.SequenceEqual(b.Indexes)
        && b.Provisioning is { } other
        && a.Provisioning!.Issued == other.Issued
        && a.Provisioning.Expires == other.Expires
        && a.Provisioning.Labels.Count == other.Labels.Count
        && a.Provisioning.Labels.Zip(other.Labels).All(pair =>
            pair.First.Label == pair.Second.Label
            && pair.First.Keys.Count == pair.Second.Keys.Count
            && pair.First.Keys.Zip(pair.Second.Keys).All(keys => keys.First.AsSpan().SequenceEqual(keys.Second)));

    /// <summary>The folders of one process: a state directory emptied before every input, and the key-encryption key file.</summary>
    private sealed class Folders(string root)
    {
        private readonly string _state = Path.Combine(root, "state");
        private readonly string _keyFile = Path.Combine(root, "kek");

        public static Folders Create()
        {
            // tmpfs when there is one: an input costs a few file writes, not disk I/O.
            string parent = System.IO.Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
            string root = Path.Combine(parent, $"provisioningd-fuzz-{Environment.ProcessId}-{Guid.NewGuid():N}");
            System.IO.Directory.CreateDirectory(root);
            string keyFile = Path.Combine(root, "kek");
            File.WriteAllBytes(keyFile, KeyEncryptionKey);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }

            AppDomain.CurrentDomain.ProcessExit += (_, _) => System.IO.Directory.Delete(root, recursive: true);
            return new Folders(root);
        }

        public string Clean()
        {
            if (System.IO.Directory.Exists(_state))
            {
                foreach (string file in System.IO.Directory.EnumerateFiles(_state))
                {
                    File.Delete(file);
                }
            }
            else
            {
                System.IO.Directory.CreateDirectory(_state);
            }

            return _state;
        }

        public StateStore Store(bool encrypted)
        {
            var options = Options.Create(new StateOptions { Directory = _state, KeyEncryptionKeyFile = encrypted ? _keyFile : null });
            KeyEncryptionKeys keys = encrypted ? new KeyEncryptionKeys(options, credentialsDirectory: null) : KeyEncryptionKeys.None;
            return new StateStore(
                options,
                new KeyMaterialProtector(NullLogger<KeyMaterialProtector>.Instance, keys),
                TimeProvider.System,
                NullLogger<StateStore>.Instance);
        }
    }
}
