using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Common.Connections;
using Provisioning.Daemon.Common.Native;

namespace Provisioning.Daemon.Grpc;

/// <summary>
/// Binds the API's socket file: the directory and a stale file as <see cref="UnixSocketFile"/> does for every
/// socket, and sets mode 0660 and the group before Kestrel listens, so
/// no caller ever sees a socket with looser permissions.
/// </summary>
internal sealed class UnixSocketBinder(IOptions<GrpcOptions> options, ILogger<UnixSocketBinder> logger)
{
    private const UnixFileMode SocketMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    public string SocketPath => options.Value.SocketPath;

    public bool IsOurs(EndPoint endPoint) =>
        endPoint is UnixDomainSocketEndPoint unix && string.Equals(unix.ToString(), SocketPath, StringComparison.Ordinal);

    public Socket Bind(EndPoint endPoint)
    {
        string path = SocketPath;
        bool removedStale;
        try
        {
            removedStale = UnixSocketFile.PrepareToBind(path, endPoint, "Grpc:SocketPath");
        }
        catch (SocketInUseException)
        {
            GrpcLog.SocketInUse(logger, path);
            throw;
        }

        if (removedStale)
        {
            GrpcLog.StaleSocketRemoved(logger, path);
        }

        Socket socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endPoint);
        try
        {
            SetPermissions(path);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        GrpcLog.Listening(logger, path);
        return socket;
    }

    private void SetPermissions(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        File.SetUnixFileMode(path, SocketMode);
        string group = options.Value.SocketGroup ?? GrpcOptions.DefaultSocketGroup;
        if (group.Length == 0)
        {
            return;
        }

        uint? gid = SocketGroup.Resolve(group);
        if (gid is null)
        {
            if (options.Value.SocketGroup is null)
            {
                GrpcLog.SocketGroupMissing(logger, path, group);
                return;
            }

            throw new IOException($"Grpc:SocketGroup '{group}' does not exist.");
        }

        if (LibC.Chown(path, uint.MaxValue, gid.Value) != 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw new IOException($"Grpc:SocketGroup: cannot give {path} the group {group} (gid {gid}): errno {errno}.");
        }

        GrpcLog.SocketPermissions(logger, path, gid.Value);
    }
}
