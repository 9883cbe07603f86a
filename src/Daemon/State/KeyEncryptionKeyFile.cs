using System.Security.Cryptography;
using System.Text;
using Provisioning.Daemon.Common.Files;

namespace Provisioning.Daemon.State;

/// <summary>
/// Reads a key-encryption key from a file: exactly 32 raw bytes, or text holding 32 bytes as 64 hex digits
/// or base64 (what `systemd-creds` and `openssl rand` produce). Anything else is refused, never stretched.
/// </summary>
internal static class KeyEncryptionKeyFile
{
    private const int MaxFileBytes = 4096;

    /// <summary>The key, or a problem in words (never containing key bytes).</summary>
    public static (KeyEncryptionKey? Key, string? Problem) Read(string path)
    {
        byte[] content;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return (null, $"{path} does not exist");
            }

            if (!OperatingSystem.IsWindows() && (info.UnixFileMode & (UnixFileMode.OtherRead | UnixFileMode.OtherWrite)) != 0)
            {
                return (null, $"{path} is accessible to other users (make it 0600 or 0400)");
            }

            content = BoundedFile.ReadAllBytes(path, MaxFileBytes);
        }
        catch (InvalidDataException exception)
        {
            return (null, $"{exception.Message}: not a key");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return (null, $"{path} cannot be read: {exception.Message}");
        }

        try
        {
            byte[]? key = Decode(content);
            return key is null
                ? (null, $"{path} does not hold a {KeyEncryptionKey.KeySize}-byte key (raw, 64 hex digits or base64)")
                : (new KeyEncryptionKey(key, path), null);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(content);
        }
    }

    private static byte[]? Decode(byte[] content)
    {
        if (content.Length == KeyEncryptionKey.KeySize)
        {
            return [.. content];
        }

        string text = Encoding.ASCII.GetString(content).Trim();
        if (text.Length == KeyEncryptionKey.KeySize * 2 && text.All(char.IsAsciiHexDigit))
        {
            return Convert.FromHexString(text);
        }

        byte[] buffer = new byte[KeyEncryptionKey.KeySize + 3];
        return Convert.TryFromBase64String(text, buffer, out int written) && written == KeyEncryptionKey.KeySize
            ? buffer[..written]
            : null;
    }
}
