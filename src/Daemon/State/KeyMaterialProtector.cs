using System.Security.Cryptography;
using System.Text;

namespace Provisioning.Daemon.State;

/// <summary>
/// Turns the key material file's plaintext into the bytes written to disk and back. With a key-encryption
/// key the file is AES-256-GCM sealed, the provision ID bound in as associated data (a file copied to
/// another device does not open there); without one it is plaintext, owner-only (0600), and a warning
/// says so once. Layout (<see cref="SealedKeyMaterial"/>): magic, version, key id, nonce, tag, ciphertext.
/// </summary>
internal sealed class KeyMaterialProtector(ILogger<KeyMaterialProtector> logger, KeyEncryptionKeys keys)
{
    private readonly KeyEncryptionKeys _keys = keys;
    private int _reported;

    /// <summary>The id of the key new writes use, in hex; null when key material is stored unencrypted.</summary>
    public string? CurrentKeyId => _keys.Current?.IdText;

    /// <summary>The bytes to write for this plaintext; <paramref name="provisionId"/> binds them to the device.</summary>
    public byte[] Protect(ReadOnlySpan<byte> plaintext, string provisionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(provisionId);
        ReportModeOnce();
        return _keys.Current is { } key ? Seal(plaintext, provisionId, key) : plaintext.ToArray();
    }

    /// <summary>
    /// The plaintext of bytes read from disk. Throws <see cref="InvalidDataException"/> or
    /// <see cref="CryptographicException"/> when they cannot be trusted (wrong key, tampered, truncated,
    /// plaintext where a key is configured), so the store moves them aside instead of using them.
    /// </summary>
    public byte[] Unprotect(ReadOnlySpan<byte> stored, string provisionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(provisionId);
        ReportModeOnce();
        bool sealedFile = SealedKeyMaterial.HasMagic(stored);
        if (_keys.Current is null)
        {
            return sealedFile
                ? throw new InvalidDataException("the key material is encrypted and no key-encryption key is configured")
                : stored.ToArray();
        }

        if (!sealedFile)
        {
            // Accepting plaintext here would let anyone who can write the directory plant keys.
            throw new InvalidDataException("the key material is not encrypted although a key-encryption key is configured");
        }

        SealedKeyMaterial parts = SealedKeyMaterial.Parse(stored);
        KeyEncryptionKey key = _keys.Find(parts.KeyId)
            ?? throw new InvalidDataException($"the key material is encrypted with another key-encryption key (id {Convert.ToHexStringLower(parts.KeyId)})");
        byte[] plaintext = new byte[parts.Ciphertext.Length];
        using var aes = new AesGcm(key.Key, SealedKeyMaterial.TagSize);
        aes.Decrypt(parts.Nonce, parts.Ciphertext, parts.Tag, plaintext, AssociatedData(parts.Header, provisionId));
        return plaintext;
    }

    /// <summary>True when these stored bytes are in the form a write would produce now (same key, or both plaintext).</summary>
    public bool IsCurrent(ReadOnlySpan<byte> stored)
    {
        KeyEncryptionKey? current = _keys.Current;
        return current is null
            ? !SealedKeyMaterial.HasMagic(stored)
            : SealedKeyMaterial.HasMagic(stored) && stored.Length >= SealedKeyMaterial.HeaderSize && SealedKeyMaterial.Parse(stored).KeyId.SequenceEqual(current.Id);
    }

    /// <summary>Logs once whether key material is encrypted at rest, and with which key id; the store's first use does it too.</summary>
    public void ReportModeOnce()
    {
        if (Interlocked.Exchange(ref _reported, 1) != 0)
        {
            return;
        }

        if (_keys.Current is { } key)
        {
            StateLog.KeyMaterialEncrypted(logger, key.IdText, key.Source);
        }
        else
        {
            StateLog.KeyMaterialUnencrypted(logger);
        }
    }

    private static byte[] Seal(ReadOnlySpan<byte> plaintext, string provisionId, KeyEncryptionKey key)
    {
        byte[] output = new byte[SealedKeyMaterial.HeaderSize + plaintext.Length];
        Span<byte> header = SealedKeyMaterial.WriteHeader(output, key.Id);
        Span<byte> nonce = output.AsSpan(SealedKeyMaterial.NonceOffset, SealedKeyMaterial.NonceSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key.Key, SealedKeyMaterial.TagSize);
        aes.Encrypt(
            nonce,
            plaintext,
            output.AsSpan(SealedKeyMaterial.HeaderSize),
            output.AsSpan(SealedKeyMaterial.TagOffset, SealedKeyMaterial.TagSize),
            AssociatedData(header, provisionId));
        return output;
    }

    /// <summary>The authenticated header (magic, version, key id) followed by the provision ID.</summary>
    private static byte[] AssociatedData(ReadOnlySpan<byte> header, string provisionId) =>
        [.. header, .. Encoding.UTF8.GetBytes(provisionId)];
}
