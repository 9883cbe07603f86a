using System.Net.Sockets;

namespace Provisioning.Client;

/// <summary>Opens the HTTP/2 connections of the channel on the daemon's Unix domain socket.</summary>
internal static class UnixSocketConnector
{
    public static SocketsHttpHandler CreateHandler(string socketPath)
    {
        var endPoint = new UnixDomainSocketEndPoint(socketPath);
        return new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(endPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
    }
}
