using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Common.Connections;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>
/// Binds JsonRpc:SocketPath: its directory and a stale file as for every socket (<see cref="UnixSocketFile"/>), then
/// mode 0666; other endpoints bind as before, and the bridge's TCP listener is logged once bound.
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
        transport.CreateBoundListenSocket = endPoint => IsOurs(endPoint) ? Bind(endPoint) : Logged(previous(endPoint));
    }

    // Logged once the socket is bound (with the port the kernel chose for port 0), not when Kestrel is configured:
    // a start that fails before the bind (a bad setting elsewhere) does not claim a listener.
    private Socket Logged(Socket socket)
    {
        if (socket.LocalEndPoint is IPEndPoint bound && options.Value.Enabled
            && JsonRpcEndpointAddress.TryParse(options.Value.Url!, out IPEndPoint? configured, out _)
            && bound.Address.Equals(configured.Address) && (configured.Port == 0 || configured.Port == bound.Port))
        {
            JsonRpcLog.Listening(logger, bound);
        }

        return socket;
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
