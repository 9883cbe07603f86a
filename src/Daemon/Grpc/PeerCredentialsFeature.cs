using Provisioning.Daemon.Common.Native;

namespace Provisioning.Daemon.Grpc;

/// <summary>
/// Set on every connection accepted by the gRPC listener, and only there: its presence is what marks
/// a request as having come through the Unix socket. Credentials are null where the OS has no SO_PEERCRED.
/// </summary>
internal sealed class PeerCredentialsFeature(PeerCredentials? credentials)
{
    public PeerCredentials? Credentials { get; } = credentials;
}
