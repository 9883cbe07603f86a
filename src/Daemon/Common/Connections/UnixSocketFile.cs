using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Provisioning.Daemon.Common.Native;

namespace Provisioning.Daemon.Common.Connections;

/// <summary>
/// What binding a listening Unix socket file needs, for every socket the daemon listens on: its directory, and a
/// stale file left by a crashed run removed, only when nothing answers on it.
/// </summary>
internal static class UnixSocketFile
{
    private const UnixFileMode DirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    /// <summary>Prepares <paramref name="path"/> for bind(2); true when a stale socket file was removed.</summary>
    /// <param name="settingKey">The setting that names the path, for the messages.</param>
    /// <exception cref="SocketInUseException">Another process answers on the socket.</exception>
    /// <exception cref="IOException">The path is a directory or a file that is not a socket.</exception>
    public static bool PrepareToBind(string path, EndPoint endPoint, string settingKey)
    {
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

        if (Directory.Exists(path))
        {
            throw new IOException($"{settingKey} {path} is a directory.");
        }

        if (!File.Exists(path))
        {
            return false;
        }

        if (!IsSocketFile(path))
        {
            throw new IOException($"{settingKey} {path} exists and is not a socket; it is left alone. Remove it or configure another {settingKey}.");
        }

        using (var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
        {
            try
            {
                probe.Connect(endPoint);
                throw new SocketInUseException(
                    $"{settingKey} {path} is in use: another process (another provisioningd?) answers on it. "
                    + $"Stop it or configure another {settingKey}; the socket is left alone.");
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable)
            {
                // Nobody listens: the file is left over from a run that did not clean up.
            }
        }

        File.Delete(path);
        return true;
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
}
