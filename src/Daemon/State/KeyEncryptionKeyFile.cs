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
    /// <param name="path">The file.</param>
    /// <param name="systemdCredential">
    /// A credential systemd placed in $CREDENTIALS_DIRECTORY: systemd grants the service user read access through
    /// an ACL, whose mask shows in the group bits, so only the other users' bits are checked there.
    /// </param>
    public static (KeyEncryptionKey? Key, string? Problem) Read(string path, bool systemdCredential = false)
    {
        UnixFileMode notAllowed = systemdCredential
            ? UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute
            : UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;
        byte[] content;
        try
        {
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                return (null, $"{path} does not exist");
            }

            if (!OperatingSystem.IsWindows() && (info.UnixFileMode & notAllowed) != 0)
            {
                return (null, $"{path} is accessible to other users (mode {Convert.ToString((int)info.UnixFileMode, 8).PadLeft(4, '0')}; make it 0600 or 0400)");
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
