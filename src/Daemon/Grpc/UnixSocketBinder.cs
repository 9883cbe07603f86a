using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Common.Native;

namespace Provisioning.Daemon.Grpc;

/// <summary>
/// Binds the API's socket file: creates the directory, removes a stale file left by a crashed run
/// (only when nothing answers on it), and sets mode 0660 and the group before Kestrel listens, so
/// no caller ever sees a socket with looser permissions.
/// </summary>
internal sealed class UnixSocketBinder(IOptions<GrpcOptions> options, ILogger<UnixSocketBinder> logger)
{
    private const UnixFileMode SocketMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite;

    private const UnixFileMode DirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public string SocketPath => options.Value.SocketPath;

    public bool IsOurs(EndPoint endPoint) =>
        endPoint is UnixDomainSocketEndPoint unix && string.Equals(unix.ToString(), SocketPath, StringComparison.Ordinal);

    public Socket Bind(EndPoint endPoint)
    {
        string path = SocketPath;
        string? directory = Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory) && !Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows())
            {
                Directory.CreateDirectory(directory);
            }
            else
            {
                Directory.CreateDirectory(directory, DirectoryMode);
            }
        }

        RemoveStale(path, endPoint);
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

    private void RemoveStale(string path, EndPoint endPoint)
    {
        if (Directory.Exists(path))
        {
            throw new IOException($"Grpc:SocketPath {path} is a directory.");
        }

        if (!File.Exists(path))
        {
            return;
        }

        if (!IsSocketFile(path))
        {
            throw new IOException($"Grpc:SocketPath {path} exists and is not a socket; it is left alone. Remove it or configure another Grpc:SocketPath.");
        }

        using (var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                probe.Connect(endPoint);
                GrpcLog.SocketInUse(logger, path);
                throw new SocketInUseException(
                    $"Grpc:SocketPath {path} is in use: another process (another provisioningd?) answers on it. "
                    + "Stop it or configure another Grpc:SocketPath; the socket is left alone.");
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable)
            {
                // Nobody listens: the file is left over from a run that did not clean up.
            }
        }

        File.Delete(path);
        GrpcLog.StaleSocketRemoved(logger, path);
    }

    /// <summary>open(2) of a socket file fails with ENXIO; anything that opens (a regular file, a FIFO) is not a socket.</summary>
    private static bool IsSocketFile(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return true;
        }

        int fd = LibC.Open(path, OpenFlags.ReadOnly | OpenFlags.NonBlocking | OpenFlags.CloseOnExec);
        if (fd >= 0)
        {
            _ = LibC.Close(fd);
            return false;
        }

        return Marshal.GetLastPInvokeError() == Errno.NoDeviceOrAddress;
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
