namespace Provisioning.Daemon.JsonRpc;

/// <summary>The error member of a response; <paramref name="Data"/> only for the bridge's own deviations.</summary>
internal sealed record JsonRpcError(int Code, string Message, string? Data = null);
