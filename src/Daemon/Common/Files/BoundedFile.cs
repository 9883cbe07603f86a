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
    /// <summary>The largest size a sysfs attribute reports (a page: 64 KiB on some arm64 kernels).</summary>
    private const int LargestPseudoFileSize = 64 * 1024;

    /// <summary>The whole content; <see cref="InvalidDataException"/> when it is larger than <paramref name="maxBytes"/> or not a file.</summary>
    public static byte[] ReadAllBytes(string path, int maxBytes)
    {
        using SafeFileHandle handle = OpenForReading(path);
        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        if (!stream.CanSeek)
        {
            throw new InvalidDataException($"{path} is not a regular file");
        }

        // Read into an array of the size the file says it has, the one returned: a large file (key material at
        // the protocol's largest) is not doubled into ever larger buffers and copied once more at the end. A file
        // that says it is too large is refused unread, unless the size is one a sysfs attribute reports whatever it
        // holds (a page: 4-64 KiB), such as Device:IdFile=/sys/class/dmi/id/product_uuid.
        long expected = stream.Length;
        if (expected > maxBytes && expected > LargestPseudoFileSize)
        {
            throw new InvalidDataException($"{path} is larger than {maxBytes} bytes");
        }

        byte[] buffer = new byte[Math.Min(expected, maxBytes + 1L)];
        int length = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        if (length < buffer.Length)
        {
            return buffer[..length];
        }

        if (length > maxBytes)
        {
            throw new InvalidDataException($"{path} is larger than {maxBytes} bytes");
        }

        // More than it said (it grew, or a /proc or /sys file that reports no size): read on, bounded.
        Span<byte> next = stackalloc byte[1];
        if (stream.Read(next) == 0)
        {
            return buffer;
        }

        Array.Resize(ref buffer, (int)Math.Min(Math.Max(buffer.Length * 2L, 4096), maxBytes + 1L));
        buffer[length++] = next[0];
        while (true)
        {
            if (length > maxBytes)
            {
                throw new InvalidDataException($"{path} is larger than {maxBytes} bytes");
            }

            if (length == buffer.Length)
            {
                Array.Resize(ref buffer, (int)Math.Min(buffer.Length * 2L, maxBytes + 1L));
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
