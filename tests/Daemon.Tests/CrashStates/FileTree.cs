using System.Security.Cryptography;
using System.Text;

namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>
/// The content of a folder: every file and directory under it by relative path ('/'-separated), with modes
/// and bytes. Read from disk, built by the persistence model, written back to disk for the daemon to start on.
/// </summary>
internal sealed class FileTree
{
    private readonly SortedDictionary<string, TreeEntry> _entries;
    private string? _hash;

    public FileTree(IEnumerable<KeyValuePair<string, TreeEntry>> entries)
    {
        _entries = new(entries.ToDictionary(), StringComparer.Ordinal);
    }

    public IReadOnlyDictionary<string, TreeEntry> Entries => _entries;

    /// <summary>SHA-256 over paths, kinds, modes and bytes: equal trees have equal hashes.</summary>
    public string Hash => _hash ??= ComputeHash();

    public static FileTree Read(string root)
    {
        var entries = new List<KeyValuePair<string, TreeEntry>>();
        foreach (string path in Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(root, path).Replace('\\', '/');
            UnixFileMode mode = File.GetUnixFileMode(path);
            entries.Add(new(relative, Directory.Exists(path) ? TreeEntry.Directory(mode) : TreeEntry.File(mode, File.ReadAllBytes(path))));
        }

        return new FileTree(entries);
    }

    /// <summary>Creates the tree under <paramref name="root"/> (created if missing), parents before children.</summary>
    public void WriteTo(string root)
    {
        Directory.CreateDirectory(root);
        foreach ((string relative, TreeEntry entry) in _entries)
        {
            string path = Path.Combine(root, relative);
            if (entry.IsDirectory)
            {
                Directory.CreateDirectory(path, entry.Mode);
            }
            else
            {
                File.WriteAllBytes(path, entry.Content);
                File.SetUnixFileMode(path, entry.Mode);
            }
        }

        // Directories last: a 0500 directory would refuse the files above.
        foreach ((string relative, TreeEntry entry) in _entries.Where(e => e.Value.IsDirectory))
        {
            File.SetUnixFileMode(Path.Combine(root, relative), entry.Mode);
        }
    }

    /// <summary>One line per entry (path, kind, mode, size, hash prefix): what a failure report shows.</summary>
    public string Describe() =>
        _entries.Count == 0 ? "(empty)" : string.Join('\n', _entries.Select(e => e.Value.IsDirectory
            ? $"{e.Key}/ {Convert.ToString((int)e.Value.Mode, 8)}"
            : $"{e.Key} {Convert.ToString((int)e.Value.Mode, 8)} {e.Value.Content.Length} bytes sha256:{Convert.ToHexStringLower(SHA256.HashData(e.Value.Content))[..12]}"));

    private string ComputeHash()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach ((string relative, TreeEntry entry) in _entries)
        {
            hash.AppendData(Encoding.UTF8.GetBytes($"{relative}\0{entry.IsDirectory}\0{(int)entry.Mode}\0{entry.Content.Length}\0"));
            hash.AppendData(entry.Content);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
