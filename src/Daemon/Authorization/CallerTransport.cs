namespace Provisioning.Daemon.Authorization;

/// <summary>Where a call came in; logged with every refusal.</summary>
internal enum CallerTransport
{
    /// <summary>The gRPC API's Unix socket (SO_PEERCRED).</summary>
    GrpcSocket,

    /// <summary>The JSON-RPC bridge's Unix socket, JsonRpc:SocketPath (SO_PEERCRED).</summary>
    JsonRpcSocket,

    /// <summary>The JSON-RPC bridge's TCP listener, JsonRpc:Url (the owner of the peer's socket in /proc/net/tcp*).</summary>
    JsonRpcTcp,
}
