namespace Provisioning.Daemon.State;

internal static partial class StateLog
{
    [LoggerMessage(EventId = 1250, Level = LogLevel.Information, Message = "Key material is encrypted at rest (AES-256-GCM) with key-encryption key id {KeyId} from {Source}")]
    public static partial void KeyMaterialEncrypted(ILogger logger, string keyId, string source);

    [LoggerMessage(EventId = 1251, Level = LogLevel.Information, Message = "Key material was encrypted with an older key or stored unencrypted; the next write re-encrypts it with the current key")]
    public static partial void KeyMaterialNeedsRewrite(ILogger logger);
}
