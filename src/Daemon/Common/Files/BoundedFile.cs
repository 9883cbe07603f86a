using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Provisioning.Daemon.Common.Native;

namespace Provisioning.Daemon.Common.Files;

/// <summary>
/// Reads a small file an operator or the disk hands us (identity, state, token, key, configuration) without
/// trusting what it is: a FIFO does not block (the open is non-blocking), and /dev/zero or a huge file is
/// refused after maxBytes + 1 bytes instead of being read to the end.
/// </summary>
internal static class BoundedFile
{
    /// <summary>The whole content; <see cref="InvalidDataException"/> when it is larger than <paramref name="maxBytes"/> or not a file.</summary>
    public static byte[] ReadAllBytes(string path, int maxBytes)
    {
        using SafeFileHandle handle = OpenForReading(path);
        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        if (!stream.CanSeek)
        {
            throw new InvalidDataException($"{path} is not a regular file");
        }

        byte[] buffer = new byte[Math.Min(maxBytes + 1, 64 * 1024)];
        int length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length > maxBytes)
                {
                    throw new InvalidDataException($"{path} is larger than {maxBytes} bytes");
                }

                Array.Resize(ref buffer, Math.Min(buffer.Length * 2, maxBytes + 1));
            }

            int read = stream.Read(buffer, length, buffer.Length - length);
            if (read == 0)
            {
                return buffer[..length];
            }

            length += read;
        }
    }

    /// <summary>The first <paramref name="count"/> bytes, fewer when the file is shorter; <see cref="InvalidDataException"/> when it is not a file.</summary>
    public static byte[] ReadStart(string path, int count)
    {
        using SafeFileHandle handle = OpenForReading(path);
        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        if (!stream.CanSeek)
        {
            throw new InvalidDataException($"{path} is not a regular file");
        }

        byte[] buffer = new byte[count];
        return buffer[..stream.ReadAtLeast(buffer, count, throwOnEndOfStream: false)];
    }

    private static SafeFileHandle OpenForReading(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        }

        int fd = LibC.Open(path, OpenFlags.ReadOnly | OpenFlags.NonBlocking | OpenFlags.CloseOnExec);
        if (fd < 0)
        {
            int errno = Marshal.GetLastPInvokeError();
            throw errno == Errno.NoSuchFile
                ? new FileNotFoundException($"{path} does not exist", path)
                : new IOException($"{path} cannot be opened (errno {errno})");
        }

        return new SafeFileHandle(fd, ownsHandle: true);
    }
}
