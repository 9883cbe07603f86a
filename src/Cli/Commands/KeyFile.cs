namespace Provisioning.Cli.Commands;

/// <summary>Writes key material where only its owner can read it, and never onto a terminal.</summary>
internal static class KeyFile
{
    public const string StandardOutput = "-";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public static bool IsTerminal(string path) => path == StandardOutput
        ? !Console.IsOutputRedirected
        : path.StartsWith("/dev/tty", StringComparison.Ordinal)
            || path.StartsWith("/dev/pts/", StringComparison.Ordinal)
            || path.StartsWith("/dev/console", StringComparison.Ordinal);

    public static async Task WriteAsync(string path, ReadOnlyMemory<byte> key, CancellationToken cancellationToken)
    {
        if (path == StandardOutput)
        {
            using Stream stdout = Console.OpenStandardOutput();
            await stdout.WriteAsync(key, cancellationToken);
            return;
        }

        // Written beside the target and renamed over it, so a reader never sees half a key and an
        // existing file with looser permissions is replaced, not reused.
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full) ?? ".", $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        try
        {
            await using (var file = new FileStream(temporary, options))
            {
                await file.WriteAsync(key, cancellationToken);
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, full, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }
}
