namespace Provisioning.Daemon.State;

internal static partial class StateLog
{
    [LoggerMessage(EventId = 1250, Level = LogLevel.Information, Message = "Key material is encrypted at rest (AES-256-GCM) with key-encryption key id {KeyId} from {Source}")]
    public static partial void KeyMaterialEncrypted(ILogger logger, string keyId, string source);

    [LoggerMessage(EventId = 1251, Level = LogLevel.Information, Message = "Key material was encrypted with the previous key-encryption key; re-encrypting it with the current key now")]
    public static partial void KeyMaterialNeedsRewrite(ILogger logger);

    [LoggerMessage(EventId = 1252, Level = LogLevel.Information, Message = "Key material re-encrypted with key-encryption key id {KeyId}; the previous key is no longer needed")]
    public static partial void KeyMaterialReencrypted(ILogger logger, string keyId);

    [LoggerMessage(EventId = 1253, Level = LogLevel.Warning, Message = "Removed {Path}: plaintext key material of the state file moved aside, and key material is encrypted at rest now")]
    public static partial void RemovedPlaintextKeyMaterial(ILogger logger, string path);

    [LoggerMessage(EventId = 1254, Level = LogLevel.Warning, Message = "Key material {Path} of the state file moved aside is kept as {Aside}")]
    public static partial void KeyMaterialMovedAside(ILogger logger, string path, string aside);

    [LoggerMessage(EventId = 1255, Level = LogLevel.Error, Message = "Key material {Path} of the state file moved aside could not be set aside; it stays where it is")]
    public static partial void KeyMaterialNotMovedAside(ILogger logger, Exception exception, string path);
}
