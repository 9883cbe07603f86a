using System.Globalization;
using Provisioning.Daemon.Common.Native;

namespace Provisioning.Daemon.Memory;

/// <summary>
/// The pages of the executable and its shared libraries that start-up or the last run touched stay mapped into
/// the process (its RssFile: most of the daemon's RSS when idle) although nothing runs that code until the next
/// call. Released after a trim (madvise MADV_DONTNEED), they are unmapped from the process (its RssFile drops) but
/// stay in the page cache, clean, shared and still charged to the service's cgroup; code that runs again faults its
/// pages back in, without reading the disk while they are cached. The effect is
/// measured in bench/README.md, "Footprint".
/// Only mappings that cannot hold data of the process are released: backed by the executable or a shared
/// library, not writable, with resident pages and not one anonymous (copied-on-write) page; such a mapping is
/// never unmapped while the daemon runs, and not being writable it cannot gain private pages before the call.
/// </summary>
internal static class MappedCodePages
{
    /// <summary>A mapping of /proc/self/smaps: its address range, permissions, file and resident and anonymous KiB.</summary>
    public sealed record Mapping(ulong Start, ulong End, string Permissions, string Path, long RssKiB, long AnonymousKiB);

    /// <summary>Releases the releasable mappings; returns the KiB they held.</summary>
    public static long Release() => Release("/proc/self/smaps");

    /// <summary>
    /// Releases the releasable mappings <paramref name="smaps"/> lists; returns the KiB they held: 0 where /proc is
    /// not Linux's or cannot be read (a kernel without CONFIG_PROC_PAGE_MONITOR has no smaps), which costs only the
    /// saving.
    /// </summary>
    public static long Release(string smaps)
    {
        if (!OperatingSystem.IsLinux() || Environment.ProcessPath is not { } executable)
        {
            return 0;
        }

        List<Mapping> mappings;
        try
        {
            mappings = [.. Releasable(Parse(File.ReadLines(smaps)), executable)];
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return 0;
        }

        long released = 0;
        foreach (Mapping mapping in mappings)
        {
            if (LibC.Madvise(unchecked((nint)mapping.Start), (nuint)(mapping.End - mapping.Start), LibC.MadviseDontNeed) == 0)
            {
                released += mapping.RssKiB;
            }
        }

        return released;
    }

    /// <summary>The mappings <see cref="Release"/> releases (see the class summary for why each condition).</summary>
    public static IEnumerable<Mapping> Releasable(IEnumerable<Mapping> mappings, string executable) =>
        mappings.Where(m => (m.Path == executable || IsSharedLibrary(m.Path))
            && !m.Permissions.Contains('w', StringComparison.Ordinal)
            && m.RssKiB > 0 && m.AnonymousKiB == 0);

    /// <summary>The mappings of a /proc/PID/smaps text.</summary>
    public static IEnumerable<Mapping> Parse(IEnumerable<string> smaps)
    {
        Mapping? current = null;
        foreach (string line in smaps)
        {
            if (Header(line) is { } next)
            {
                if (current is not null)
                {
                    yield return current;
                }

                current = next;
            }
            else if (current is not null && Kilobytes(line, "Rss:") is { } rss)
            {
                current = current with { RssKiB = rss };
            }
            else if (current is not null && Kilobytes(line, "Anonymous:") is { } anonymous)
            {
                current = current with { AnonymousKiB = anonymous };
            }
        }

        if (current is not null)
        {
            yield return current;
        }
    }

    private static bool IsSharedLibrary(string path)
    {
        string name = System.IO.Path.GetFileName(path);
        return name.EndsWith(".so", StringComparison.Ordinal) || name.Contains(".so.", StringComparison.Ordinal);
    }

    /// <summary>"start-end perms offset dev inode [path]"; the anonymous counter is unknown (-1) until its line is read.</summary>
    private static Mapping? Header(string line)
    {
        string[] fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 5 || fields[0].Split('-') is not [string start, string end]
            || !ulong.TryParse(start, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong from)
            || !ulong.TryParse(end, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out ulong to))
        {
            return null;
        }

        return new Mapping(from, to, fields[1], fields.Length == 6 ? fields[5].Trim() : string.Empty, RssKiB: 0, AnonymousKiB: -1);
    }

    private static long? Kilobytes(string line, string field) =>
        line.StartsWith(field, StringComparison.Ordinal)
        && long.TryParse(line.AsSpan(field.Length).Trim().TrimEnd("kB").Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long value)
            ? value
            : null;
}
