using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.State;

namespace Provisioning.Daemon.Tests.State;

/// <summary>Key files, stores that use them, and the edits an attacker could make to a state directory.</summary>
internal static class KeyEncryptionSamples
{
    /// <summary>Writes a fresh random 32-byte key, owner-only, as the given text form.</summary>
    public static string WriteKeyFile(string path, Func<byte[], byte[]>? encode = null)
    {
        byte[] key = RandomNumberGenerator.GetBytes(KeyEncryptionKey.KeySize);
        WriteOwnerOnly(path, encode is null ? key : encode(key));
        return path;
    }

    public static void WriteOwnerOnly(string path, byte[] content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, content);
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    public static StateStore CreateStore(string directory, string? keyFile, string? previousKeyFile = null, FakeLogger? logger = null, string? credentialsDirectory = null)
    {
        var collector = logger ?? new FakeLogger();
        var options = Options.Create(new StateOptions { Directory = directory, KeyEncryptionKeyFile = keyFile, PreviousKeyEncryptionKeyFile = previousKeyFile });
        return new StateStore(
            options,
            new KeyMaterialProtector(new FakeLogger<KeyMaterialProtector>(collector.Collector), new KeyEncryptionKeys(options, credentialsDirectory)),
            TimeProvider.System,
            new FakeLogger<StateStore>(collector.Collector));
    }

    public static string KeyFileIn(string stateDirectory) => Directory.GetFiles(stateDirectory, "keys-*").Single();

    /// <summary>
    /// Replaces the key file's bytes and records their checksum in the state file, as someone with write access
    /// to the directory could: only the encryption itself can then tell that the content is not genuine.
    /// </summary>
    public static void ForgeKeyFile(string stateDirectory, Func<byte[], byte[]> edit)
    {
        string keyFile = KeyFileIn(stateDirectory);
        byte[] forged = edit(File.ReadAllBytes(keyFile));
        File.WriteAllBytes(keyFile, forged);

        string statePath = Path.Combine(stateDirectory, StateFileFormat.StateFileName);
        JsonNode envelope = JsonNode.Parse(File.ReadAllBytes(statePath))!;
        JsonNode payload = JsonNode.Parse(Convert.FromBase64String(envelope["payload"]!.GetValue<string>()))!;
        payload["keyFileChecksum"] = Checksum(forged);
        byte[] payloadBytes = System.Text.Encoding.UTF8.GetBytes(payload.ToJsonString());
        envelope["payload"] = Convert.ToBase64String(payloadBytes);
        envelope["checksum"] = Checksum(payloadBytes);
        File.WriteAllText(statePath, envelope.ToJsonString());
    }

    public static bool Contains(byte[] haystack, byte[] needle) => haystack.AsSpan().IndexOf(needle) >= 0;

    private static string Checksum(byte[] bytes) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(bytes));
}
