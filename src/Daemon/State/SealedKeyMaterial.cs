namespace Provisioning.Daemon.State;

/// <summary>
/// The encrypted key material file: "PVDK", version byte, 8-byte key id, 12-byte nonce, 16-byte tag, then the
/// AES-GCM ciphertext. Magic, version and key id are authenticated as associated data, so none can be edited.
/// </summary>
internal readonly ref struct SealedKeyMaterial
{
    public const int MagicSize = 4;
    public const byte Version = 1;
    public const int NonceSize = 12;
    public const int TagSize = 16;
    public const int KeyIdOffset = 5;
    public const int NonceOffset = KeyIdOffset + KeyEncryptionKey.IdSize;
    public const int TagOffset = NonceOffset + NonceSize;
    public const int HeaderSize = TagOffset + TagSize;

    private static ReadOnlySpan<byte> Magic => "PVDK"u8;

    private SealedKeyMaterial(ReadOnlySpan<byte> stored)
    {
        Header = stored[..NonceOffset];
        KeyId = stored.Slice(KeyIdOffset, KeyEncryptionKey.IdSize);
        Nonce = stored.Slice(NonceOffset, NonceSize);
        Tag = stored.Slice(TagOffset, TagSize);
        Ciphertext = stored[HeaderSize..];
    }

    /// <summary>Magic, version and key id: the part bound in as associated data.</summary>
    public ReadOnlySpan<byte> Header { get; }

    public ReadOnlySpan<byte> KeyId { get; }

    public ReadOnlySpan<byte> Nonce { get; }

    public ReadOnlySpan<byte> Tag { get; }

    public ReadOnlySpan<byte> Ciphertext { get; }

    public static bool HasMagic(ReadOnlySpan<byte> stored) => stored.StartsWith(Magic);

    public static SealedKeyMaterial Parse(ReadOnlySpan<byte> stored)
    {
        if (stored.Length < HeaderSize)
        {
            throw new InvalidDataException("the encrypted key material is truncated");
        }

        return stored[Magic.Length] == Version
            ? new SealedKeyMaterial(stored)
            : throw new InvalidDataException($"the encrypted key material has format version {stored[Magic.Length]}, this build reads {Version}");
    }

    /// <summary>Writes magic, version and key id at the start of <paramref name="output"/>; returns that header.</summary>
    public static Span<byte> WriteHeader(Span<byte> output, ReadOnlySpan<byte> keyId)
    {
        Magic.CopyTo(output);
        output[Magic.Length] = Version;
        keyId.CopyTo(output[KeyIdOffset..]);
        return output[..NonceOffset];
    }
}
