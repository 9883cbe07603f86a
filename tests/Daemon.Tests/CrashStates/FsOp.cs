namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>
/// One logical file-system operation of a trace. Paths are absolute; <see cref="Handle"/> names one open
/// file description (an fd and its dups) for Write, SetLength and Fsync.
/// </summary>
internal sealed record FsOp(FsOpKind Kind)
{
    public string Path { get; init; } = string.Empty;

    /// <summary>Rename and Link: the new name.</summary>
    public string? Target { get; init; }

    public int Handle { get; init; }

    /// <summary>Write: where the bytes go (-1: the end of the file).</summary>
    public long Offset { get; init; }

    /// <summary>Write: the bytes.</summary>
    public byte[] Data { get; init; } = [];

    /// <summary>SetLength: the new size.</summary>
    public long Length { get; init; }

    /// <summary>Open: O_CREAT.</summary>
    public bool Create { get; init; }

    /// <summary>Open: O_TRUNC.</summary>
    public bool Truncate { get; init; }

    /// <summary>Open with O_CREAT, and Mkdir: the mode of a new file or directory.</summary>
    public UnixFileMode Mode { get; init; }

    /// <summary>The trace line it came from (1-based), for reports.</summary>
    public int Line { get; init; }

    public override string ToString() => Kind switch
    {
        FsOpKind.Open => $"open {Path}{(Create ? " O_CREAT" : string.Empty)}{(Truncate ? " O_TRUNC" : string.Empty)} as #{Handle}",
        FsOpKind.Write => $"write #{Handle} {Data.Length} bytes at {(Offset < 0 ? "end" : Offset.ToString(System.Globalization.CultureInfo.InvariantCulture))}",
        FsOpKind.SetLength => $"truncate {(Handle != 0 ? $"#{Handle}" : Path)} to {Length}",
        FsOpKind.Fsync => $"fsync #{Handle} ({Path})",
        FsOpKind.Rename => $"rename {Path} -> {Target}",
        FsOpKind.Link => $"link {Path} -> {Target}",
        FsOpKind.SyncAll or FsOpKind.Acknowledged => Kind.ToString().ToLowerInvariant(),
        _ => $"{Kind.ToString().ToLowerInvariant()} {Path}",
    };
}
