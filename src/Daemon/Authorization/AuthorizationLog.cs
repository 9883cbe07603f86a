using System.Net;

namespace Provisioning.Daemon.Authorization;

/// <summary>The policy's log events (ids 5100-5199). Never a token or a key here.</summary>
internal static partial class AuthorizationLog
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Warning, Message = "Refused {Method} over {Transport} for uid {Uid} gid {Gid} pid {Pid}: no Authorization:{Operation} rule allows this caller")]
    public static partial void Refused(ILogger logger, string method, CallerTransport transport, string uid, string gid, string pid, string operation);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Debug, Message = "Looked up the owner of TCP caller {Remote} over {Transport}: uid {Uid}")]
    public static partial void TcpCallerLookedUp(ILogger logger, IPEndPoint remote, CallerTransport transport, string uid);
}
