using System.Net.Sockets;
using Grpc.Net.Client;

namespace Provisioning.Daemon.Tests.Grpc;

/// <summary>A plain GrpcChannel on a Unix socket, without the client library.</summary>
internal static class GrpcChannels
{
    /// <param name="oneConnection">Keep to one connection: calls beyond the daemon's stream limit wait for a stream.</param>
    public static GrpcChannel ForSocket(string socketPath, bool oneConnection = false) => GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
    {
        HttpHandler = HandlerForSocket(socketPath, oneConnection),
    });

    /// <summary>An HTTP handler whose connections go to the socket (one HTTP/2 connection, when asked, with calls beyond its streams waiting).</summary>
    public static SocketsHttpHandler HandlerForSocket(string socketPath, bool oneConnection = false) => new()
    {
        EnableMultipleHttp2Connections = !oneConnection,
        ConnectCallback = async (_, ct) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    };
}
