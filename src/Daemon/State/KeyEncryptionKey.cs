using System.Security.Cryptography;
using System.Text;

namespace Provisioning.Daemon.State;

/// <summary>
/// A 256-bit key-encryption key and its id. The id is an HMAC of a fixed label under the key, so it names
/// the key in file headers and logs without revealing anything about it.
/// </summary>
internal sealed class KeyEncryptionKey
{
    public const int KeySize = 32;
    public const int IdSize = 8;

    private static readonly byte[] IdLabel = Encoding.ASCII.GetBytes("provisioningd key-encryption key id");

    public KeyEncryptionKey(byte[] key, string source)
    {
        if (key.Length != KeySize)
        {
            throw new ArgumentException($"A key-encryption key is {KeySize} bytes.", nameof(key));
        }

        Key = key;
        Source = source;
        Id = HMACSHA256.HashData(key, IdLabel).AsSpan(0, IdSize).ToArray();
    }

    public byte[] Key { get; }

    public byte[] Id { get; }

    /// <summary>Where the key came from (a path or a credential name); never the key.</summary>
    public string Source { get; }

    public string IdText => Convert.ToHexStringLower(Id);
}
