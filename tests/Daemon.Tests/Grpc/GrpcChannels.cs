using System.Net.Sockets;
using Grpc.Net.Client;

namespace Provisioning.Daemon.Tests.Grpc;

/// <summary>A plain GrpcChannel on a Unix socket, without the client library.</summary>
internal static class GrpcChannels
{
    public static GrpcChannel ForSocket(string socketPath) => GrpcChannel.ForAddress("http://localhost", new GrpcChannelOptions
    {
        HttpHandler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        },
    });
}
