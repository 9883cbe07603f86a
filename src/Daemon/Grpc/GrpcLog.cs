
namespace Provisioning.Daemon.Grpc;

/// <summary>The gRPC API's log events (ids 2000-2999, docs/architecture.md). Never a key here.</summary>
internal static partial class GrpcLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "gRPC API listening on Unix socket {SocketPath}")]
    public static partial void Listening(ILogger logger, string socketPath);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "gRPC API listening on {Count} socket(s) passed by systemd socket activation")]
    public static partial void SocketActivated(ILogger logger, int count);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Warning, Message = "Removed stale socket file {SocketPath}: nothing answered on it")]
    public static partial void StaleSocketRemoved(ILogger logger, string socketPath);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Socket {SocketPath} is in use by another process; refusing to take it over")]
    public static partial void SocketInUse(ILogger logger, string socketPath);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Warning, Message = "Ended a WatchState stream of uid {Uid} pid {Pid}: it fell more than {Capacity} changes behind")]
    public static partial void WatcherOverflow(ILogger logger, uint uid, int pid, int capacity);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Information, Message = "Socket file {SocketPath} has mode 0660 and group {Gid}")]
    public static partial void SocketPermissions(ILogger logger, string socketPath, uint gid);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information, Message = "Socket file {SocketPath} has mode 0660; group {Group} does not exist, so the file keeps the daemon's group")]
    public static partial void SocketGroupMissing(ILogger logger, string socketPath, string group);

    [LoggerMessage(EventId = 2010, Level = LogLevel.Information, Message = "Key of label {Label} read by uid {Uid} pid {Pid}")]
    public static partial void KeyRead(ILogger logger, string label, uint uid, int pid);

    [LoggerMessage(EventId = 2011, Level = LogLevel.Warning, Message = "Refused a connection on the gRPC socket: Grpc:MaxConnections ({Max}) are open; caller uid {Uid} pid {Pid}")]
    public static partial void ConnectionLimitReached(ILogger logger, int max, uint? uid, int? pid);

    [LoggerMessage(EventId = 2012, Level = LogLevel.Warning, Message = "Refused a connection on the gRPC socket: uid {Uid} holds Grpc:MaxConnectionsPerUid ({Max}); caller pid {Pid}")]
    public static partial void UidConnectionShareReached(ILogger logger, uint uid, int max, int? pid);
}
