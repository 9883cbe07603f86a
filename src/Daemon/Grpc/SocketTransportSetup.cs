using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.Grpc;

/// <summary>Routes the bind of the API's socket file through <see cref="UnixSocketBinder"/>; other endpoints bind as before.</summary>
internal sealed class SocketTransportSetup(UnixSocketBinder binder) : IConfigureOptions<SocketTransportOptions>
{
    public void Configure(SocketTransportOptions options)
    {
        Func<System.Net.EndPoint, System.Net.Sockets.Socket> previous = options.CreateBoundListenSocket;
        options.CreateBoundListenSocket = endPoint => binder.IsOurs(endPoint) ? binder.Bind(endPoint) : previous(endPoint);
    }
}
