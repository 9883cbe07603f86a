using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Common.Connections;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>
/// Binds JsonRpc:SocketPath: its directory and a stale file as for every socket (<see cref="UnixSocketFile"/>), then
/// mode 0666; other endpoints bind as before.
/// </summary>
internal sealed class JsonRpcSocketTransportSetup(IOptions<JsonRpcOptions> options, ILogger<JsonRpcSocketTransportSetup> logger)
    : IConfigureOptions<SocketTransportOptions>
{
    private const string SettingKey = "JsonRpc:SocketPath";

    private const UnixFileMode SocketMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite;

    public void Configure(SocketTransportOptions transport)
    {
        Func<EndPoint, Socket> previous = transport.CreateBoundListenSocket;
        transport.CreateBoundListenSocket = endPoint => IsOurs(endPoint) ? Bind(endPoint) : previous(endPoint);
    }

    private bool IsOurs(EndPoint endPoint) =>
        options.Value.SocketEnabled && endPoint is UnixDomainSocketEndPoint unix
        && string.Equals(unix.ToString(), options.Value.SocketPath, StringComparison.Ordinal);

    private Socket Bind(EndPoint endPoint)
    {
        string path = options.Value.SocketPath!;
        if (UnixSocketFile.PrepareToBind(path, endPoint, SettingKey))
        {
            JsonRpcLog.StaleSocketRemoved(logger, path);
        }

        Socket socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endPoint);
        try
        {
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(path, SocketMode);
            }
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        JsonRpcLog.ListeningOnSocket(logger, path);
        return socket;
    }
}
