namespace Provisioning.Daemon.State;

internal static partial class StateLog
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Restored state from {Path}: {LabelCount} labels, status {Status}")]
    public static partial void Restored(ILogger logger, string path, int labelCount, int status);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "No state file at {Path}: starting unprovisioned")]
    public static partial void NoStateFile(ILogger logger, string path);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Error, Message = "State file {Path} is unusable ({Reason}); moved aside to {AsidePath}, starting unprovisioned")]
    public static partial void MovedAside(ILogger logger, string path, string reason, string asidePath);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Error, Message = "State file {Path} is unusable ({Reason}) and could not be moved aside; starting unprovisioned")]
    public static partial void CouldNotMoveAside(ILogger logger, Exception exception, string path, string reason);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Information, Message = "State written to {Path}: {LabelCount} labels")]
    public static partial void Written(ILogger logger, string path, int labelCount);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Error, Message = "Writing the state to {Path} failed; the previous state is kept")]
    public static partial void WriteFailed(ILogger logger, Exception exception, string path);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Warning, Message = "Key material is stored unencrypted (owner-only files); configure a key-encryption key to encrypt it at rest")]
    public static partial void KeyMaterialUnencrypted(ILogger logger);

    [LoggerMessage(EventId = 1207, Level = LogLevel.Error, Message = "State directory {Directory} is unusable")]
    public static partial void DirectoryUnusable(ILogger logger, Exception exception, string directory);

    [LoggerMessage(EventId = 1208, Level = LogLevel.Warning, Message = "Removed leftover file {Path} from an interrupted write")]
    public static partial void RemovedLeftover(ILogger logger, string path);

    [LoggerMessage(EventId = 1209, Level = LogLevel.Warning, Message = "Could not flush {Parent}: if {Directory} was created recently, a power cut may remove it with the stored state")]
    public static partial void ParentNotFlushed(ILogger logger, Exception exception, string parent, string directory);

    [LoggerMessage(EventId = 1210, Level = LogLevel.Warning, Message = "Could not list or flush the state directory {Directory}; files are left as they are")]
    public static partial void DirectoryNotScanned(ILogger logger, Exception exception, string directory);

    [LoggerMessage(EventId = 1211, Level = LogLevel.Warning, Message = "State directory {Directory} cannot be locked (errno {Errno}): a second provisioningd with the same State:Directory would not be kept out")]
    public static partial void DirectoryNotLocked(ILogger logger, string directory, int errno);
}
