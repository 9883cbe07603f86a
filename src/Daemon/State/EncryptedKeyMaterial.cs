using Provisioning.Daemon.Common.Files;

namespace Provisioning.Daemon.State;

/// <summary>Whether a state directory holds key material encrypted at rest: a key file that starts with the sealed magic.</summary>
internal static class EncryptedKeyMaterial
{
    public static bool IsStoredIn(string directory)
    {
        try
        {
            return Directory.Exists(directory)
                && Directory.EnumerateFiles(directory, "keys-*.bin").Any(IsSealed);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            // A directory we cannot list is reported by the store with its reason.
            return false;
        }
    }

    private static bool IsSealed(string path)
    {
        try
        {
            return SealedKeyMaterial.HasMagic(BoundedFile.ReadStart(path, SealedKeyMaterial.MagicSize));
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return false;
        }
    }
}
