using System.Text;
using Provisioning.Daemon.Common.Files;

namespace Provisioning.Daemon.BackOffice;

/// <summary>Reads the device token from BackOffice:TokenFile. The token is a secret: it is never logged.</summary>
internal static class DeviceTokenFile
{
    private const int MaxBytes = 16 * 1024;

    /// <summary>The token; InvalidDataException, saying why, when the file cannot be read or holds no usable token.</summary>
    public static Task<string> ReadAsync(string path, CancellationToken cancellationToken)
    {
        string text;
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            text = Encoding.UTF8.GetString(BoundedFile.ReadAllBytes(path, MaxBytes));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"the file cannot be read ({e.GetType().Name})", e);
        }

        string token = text.Trim();

        // Only visible ASCII may go into a header; anything else would be refused there or split it.
        if (token.Length == 0 || !token.All(c => c is > ' ' and < (char)0x7F))
        {
            throw new InvalidDataException("the file does not hold a token of visible ASCII characters");
        }

        return Task.FromResult(token);
    }
}
