using System.Runtime.InteropServices;
using Provisioning.Daemon.Common.Native;

namespace Provisioning.Daemon.Common.Files;

/// <summary>
/// Writes that survive a crash or power cut at any instant: the old content or the new, never a mix.
/// Write a temporary file, fsync it, rename it over the target, fsync the directory.
/// </summary>
internal static class DurableFile
{
    public const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    public const UnixFileMode OwnerOnlyDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public static void WriteAllBytes(string path, ReadOnlySpan<byte> content)
    {
        string temporary = $"{path}.tmp-{Environment.ProcessId}-{Guid.NewGuid():N}";
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnlyFile;
            }

            using (var stream = new FileStream(temporary, options))
            {
                stream.Write(content);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
            FlushDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    /// <summary>Makes renames and deletions in the directory durable (fsync of the directory on Unix).</summary>
    public static void FlushDirectory(string directory)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        int fd = LibC.Open(directory, OpenFlags.ReadOnly | OpenFlags.Directory | OpenFlags.CloseOnExec);
        if (fd < 0)
        {
            throw new IOException($"Cannot open directory {directory} to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (LibC.Fsync(fd) != 0)
            {
                throw new IOException($"fsync of directory {directory} failed (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = LibC.Close(fd);
        }
    }

    public static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
            // Best effort: an orphaned temporary file is harmless and removed at the next start.
        }
        catch (UnauthorizedAccessException)
        {
            // Same as above.
        }
    }
}
