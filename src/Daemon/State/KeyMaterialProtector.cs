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

    /// <summary>The bytes a caller leaves free before the plaintext for <see cref="ProtectInPlace"/>: the sealed header, or none.</summary>
    public int HeaderRoom => _keys.Current is null ? 0 : SealedKeyMaterial.HeaderSize;

    /// <summary>The bytes to write for this plaintext; <paramref name="provisionId"/> binds them to the device.</summary>
    public byte[] Protect(ReadOnlySpan<byte> plaintext, string provisionId)
    {
        byte[] buffer = new byte[HeaderRoom + plaintext.Length];
        plaintext.CopyTo(buffer.AsSpan(HeaderRoom));
        ProtectInPlace(buffer, provisionId);
        return buffer;
    }

    /// <summary>
    /// Turns <paramref name="buffer"/>, <see cref="HeaderRoom"/> free bytes then the plaintext, into the bytes to
    /// write, in place: key material at the protocol's largest exists once in memory, not as plaintext and as a copy.
    /// </summary>
    public void ProtectInPlace(Span<byte> buffer, string provisionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(provisionId);
        ReportModeOnce();
        if (_keys.Current is { } key)
        {
            Seal(buffer, provisionId, key);
        }
    }

    /// <summary>The plaintext of bytes read from disk (a copy; the stored bytes are left as they are).</summary>
    public byte[] Unprotect(ReadOnlySpan<byte> stored, string provisionId)
    {
        byte[] buffer = stored.ToArray();
        return UnprotectInPlace(buffer, provisionId).ToArray();
    }

    /// <summary>
    /// The plaintext of bytes read from disk, decrypted where they are (a slice of <paramref name="stored"/>). Throws
    /// <see cref="InvalidDataException"/> or <see cref="CryptographicException"/> when they cannot be trusted (wrong
    /// key, tampered, truncated, plaintext where a key is configured), so the store sets them aside instead.
    /// </summary>
    public Span<byte> UnprotectInPlace(Span<byte> stored, string provisionId)
    {
        ArgumentException.ThrowIfNullOrEmpty(provisionId);
        ReportModeOnce();
        bool sealedFile = SealedKeyMaterial.HasMagic(stored);
        if (_keys.Current is null)
        {
            return sealedFile
                ? throw new InvalidDataException("the key material is encrypted and no key-encryption key is configured")
                : stored;
        }

        if (!sealedFile)
        {
            // Accepting plaintext here would let anyone who can write the directory plant keys.
            throw new InvalidDataException("the key material is not encrypted although a key-encryption key is configured");
        }

        SealedKeyMaterial parts = SealedKeyMaterial.Parse(stored);
        KeyEncryptionKey key = _keys.Find(parts.KeyId)
            ?? throw new InvalidDataException($"the key material is encrypted with another key-encryption key (id {Convert.ToHexStringLower(parts.KeyId)})");
        Span<byte> ciphertext = stored[SealedKeyMaterial.HeaderSize..];
        using var aes = new AesGcm(key.Key, SealedKeyMaterial.TagSize);
        aes.Decrypt(parts.Nonce, ciphertext, parts.Tag, ciphertext, AssociatedData(parts.Header, provisionId));
        return ciphertext;
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

    // The plaintext follows the header's room in the same buffer; AES-GCM encrypts it where it is.
    private static void Seal(Span<byte> buffer, string provisionId, KeyEncryptionKey key)
    {
        Span<byte> header = SealedKeyMaterial.WriteHeader(buffer, key.Id);
        Span<byte> nonce = buffer.Slice(SealedKeyMaterial.NonceOffset, SealedKeyMaterial.NonceSize);
        RandomNumberGenerator.Fill(nonce);
        Span<byte> plaintext = buffer[SealedKeyMaterial.HeaderSize..];
        using var aes = new AesGcm(key.Key, SealedKeyMaterial.TagSize);
        aes.Encrypt(nonce, plaintext, plaintext, buffer.Slice(SealedKeyMaterial.TagOffset, SealedKeyMaterial.TagSize), AssociatedData(header, provisionId));
    }

    /// <summary>The authenticated header (magic, version, key id) followed by the provision ID.</summary>
    private static byte[] AssociatedData(ReadOnlySpan<byte> header, string provisionId) =>
        [.. header, .. Encoding.UTF8.GetBytes(provisionId)];
}
