using Microsoft.Extensions.Logging;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>The bridge's log messages, event ids 3000-3999 (docs/architecture.md). Tokens and request bodies are never logged.</summary>
internal static partial class JsonRpcLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "JSON-RPC bridge listening on {EndPoint} (HTTP/1.1 and WebSocket, /jsonrpc)")]
    public static partial void Listening(ILogger logger, System.Net.IPEndPoint endPoint);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "JSON-RPC bridge disabled (JsonRpc:Url is empty)")]
    public static partial void Disabled(ILogger logger);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Warning, Message = "JSON-RPC connection {ConnectionId} refused: JsonRpc:MaxConnections ({Max}) reached")]
    public static partial void ConnectionLimitReached(ILogger logger, string connectionId, int max);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Debug, Message = "WebSocket {ConnectionId} opened (subprotocol {Subprotocol})")]
    public static partial void WebSocketOpened(ILogger logger, string connectionId, string subprotocol);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Debug, Message = "WebSocket {ConnectionId} closed")]
    public static partial void WebSocketClosed(ILogger logger, string connectionId);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "WebSocket {ConnectionId} does not read its frames: outgoing queue full, closing with 1008")]
    public static partial void OutgoingQueueOverflow(ILogger logger, string connectionId);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "WebSocket {ConnectionId} sent a frame over JsonRpc:MaxBodyBytes ({Max}), closing with 1009")]
    public static partial void FrameTooBig(ILogger logger, string connectionId, int max);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "JSON-RPC request on {Path} refused: missing or unknown bearer token")]
    public static partial void TokenRejected(ILogger logger, string path);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Warning, Message = "The JSON-RPC event pump fell behind the engine and resubscribed; some provisioningchange events were lost")]
    public static partial void EventPumpOverflow(ILogger logger);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Information, Message = "Controller: Provisioning is now {State}")]
    public static partial void PluginStateChanged(ILogger logger, string state);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Error, Message = "A JSON-RPC call failed unexpectedly")]
    public static partial void CallFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "WebSocket upgrade refused: none of the offered subprotocols is supported")]
    public static partial void SubprotocolRefused(ILogger logger);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Warning, Message = "JSON-RPC request on {Path} refused with {Status}: its body could not be read ({Reason})")]
    public static partial void BodyUnreadable(ILogger logger, string path, int status, string reason);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Information, Message = "WebSocket upgrade refused: {Reason}")]
    public static partial void UpgradeRefused(ILogger logger, string reason);

    [LoggerMessage(EventId = 3014, Level = LogLevel.Information, Message = "JSON-RPC bridge listening on Unix socket {SocketPath} (HTTP/1.1 and WebSocket, /jsonrpc)")]
    public static partial void ListeningOnSocket(ILogger logger, string socketPath);

    [LoggerMessage(EventId = 3015, Level = LogLevel.Warning, Message = "Removed stale socket file {SocketPath}: nothing answered on it")]
    public static partial void StaleSocketRemoved(ILogger logger, string socketPath);
}
