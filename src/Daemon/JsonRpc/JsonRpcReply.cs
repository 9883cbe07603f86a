namespace Provisioning.Daemon.JsonRpc;

/// <summary>A serialized response; Thunder R4 sends HTTP 202 for errors and 200 for results.</summary>
internal sealed record JsonRpcReply(byte[] Body, bool IsError);
