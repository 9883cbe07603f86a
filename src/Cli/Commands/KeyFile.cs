namespace Provisioning.Cli.Commands;

/// <summary>Writes key material where only its owner can read it, and never onto a terminal.</summary>
internal static class KeyFile
{
    public const string StandardOutput = "-";

    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Why the key must not be written to this path, or null when it may.</summary>
    public static string? Refusal(string path)
    {
        if (path == StandardOutput)
        {
            return Console.IsOutputRedirected ? null : "refusing to write a key to a terminal; use --out FILE or redirect standard output";
        }

        // Devices (terminals, /dev/stdout) and links are not files the key could be kept in: writing there
        // would show the key or replace what the link stands for.
        string full = Path.GetFullPath(path);
        if (full.StartsWith("/dev/", StringComparison.Ordinal) || full.StartsWith("/proc/", StringComparison.Ordinal))
        {
            return $"refusing to write a key to {path}: a terminal or device, not a regular file; use --out FILE or '-' with standard output redirected";
        }

        return new FileInfo(full).LinkTarget is not null
            ? $"refusing to write a key through the link {path}; name the file itself"
            : null;
    }

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
