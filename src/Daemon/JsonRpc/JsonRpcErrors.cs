using Provisioning.Contracts.V1;
using Provisioning.Daemon.Engine;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>Every error the bridge answers, with Thunder's exact codes and messages, and the engine mapping.</summary>
internal static class JsonRpcErrors
{
    public static readonly JsonRpcError ParseError = new(-32700, "Parse error.");
    public static readonly JsonRpcError InvalidRequest = new(-32600, "Invalid Request.");
    public static readonly JsonRpcError UnknownMethod = new(-32601, "Unknown method.");
    public static readonly JsonRpcError InvalidParams = new(-32602, "Invalid params.");
    public static readonly JsonRpcError VersionNotSupported = new(-32602, "Requested version is not supported.");
    public static readonly JsonRpcError UnknownCallsign = new(-32603, "Could not access requested service");
    public static readonly JsonRpcError InternalError = new(-32603, "Internal error.");

    // What Thunder's PluginServer answers when its security agent refuses a method: ERROR_PRIVILIGED_REQUEST, which
    // Core::JSONRPC::Message::Info::SetError puts on the wire as -32604, with PluginServer's text (typo included).
    public static readonly JsonRpcError NotAllowed = new(-32604, "method invokation not allowed.");

    // Thunder's Core error table: {"code": N, "message": "ERROR_NAME"}, never data. The names are the gRPC reasons
    // too (ErrorReasons, src/Contracts): one vocabulary for both APIs.
    public static readonly JsonRpcError Unavailable = new(2, ErrorReasons.Unavailable);
    public static readonly JsonRpcError InProgress = new(12, ErrorReasons.InProgress);
    public static readonly JsonRpcError UnknownKey = new(22, ErrorReasons.UnknownKey);
    public static readonly JsonRpcError NotActive = new(2, "Service is not active");
    public static readonly JsonRpcError RegistrationAlreadyDone = new(22, "Registration already done!!!.");
    public static readonly JsonRpcError UnregisterAlreadyDone = new(22, "Unregister was already done!!!.");

    /// <summary>A request body over JsonRpc:MaxBodyBytes (HTTP; a WebSocket frame that size is closed with 1009).</summary>
    public static readonly JsonRpcError TooLarge = InvalidRequest with { Data = "The request is larger than JsonRpc:MaxBodyBytes." };

    public static JsonRpcError InvalidRequestBecause(string data) => InvalidRequest with { Data = data };

    public static JsonRpcError InvalidParamsBecause(string data) => InvalidParams with { Data = data };

    /// <summary>
    /// The one place engine refusals become Thunder errors. The interface documents only
    /// 2 ERROR_UNAVAILABLE for index, so the finer engine reasons map to it too.
    /// </summary>
    public static JsonRpcError? FromEngine(EngineError error) => error switch
    {
        EngineError.None => null,
        EngineError.InProgress => InProgress,
        EngineError.Unavailable => Unavailable,
        EngineError.NotProvisioned => Unavailable,
        EngineError.UnknownLabel => Unavailable,
        EngineError.IndexOutOfRange => Unavailable,
        _ => Unavailable,
    };
}
