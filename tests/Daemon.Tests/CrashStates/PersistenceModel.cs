namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>
/// The abstract persistence model (PersistenceModel.md beside this file): replays logical operations on a
/// folder and, at any point, lists every on-disk state a power cut there may leave. Durable: what an fsync
/// of the file (its bytes and size) or of the directory (its entries) covered, and the initial tree. Not yet
/// durable, per file: any prefix of its pending changes, the next write cut at a 4096-byte block boundary
/// (file ending at the cut, or at the full size with a zero-filled tail); per directory: any subset of its
/// pending entry changes, in program order (a rename is atomic). Files and directories choose independently.
/// </summary>
internal sealed class PersistenceModel
{
    public const int BlockSize = 4096;

    /// <summary>A directory with more pending changes than this is outside the bound (2^12 subsets).</summary>
    public const int MaxPendingDirectoryChanges = 12;

    /// <summary>A write spanning more blocks is cut at the first and last 16 boundaries and 32 spread between.</summary>
    public const int MaxCutsPerWrite = 64;

    /// <summary>More combinations than this at one point is outside the bound.</summary>
    public const long MaxStatesPerPoint = 1_000_000;

    private readonly string _root;
    private readonly UnixFileMode _umask;
    private readonly ModelDirectory _rootNode;
    private readonly List<ModelNode> _nodes = [];
    private readonly Dictionary<int, ModelNode> _handles = [];

    public PersistenceModel(string root, FileTree initial, UnixFileMode umask)
    {
        _root = Path.TrimEndingDirectorySeparator(root);
        _umask = umask;
        _rootNode = new ModelDirectory(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, ".");
        _nodes.Add(_rootNode);
        foreach ((string relative, TreeEntry entry) in initial.Entries)
        {
            (ModelDirectory parent, string name) = Parent(relative);
            ModelNode node = entry.IsDirectory ? new ModelDirectory(entry.Mode, relative) : new ModelFile(entry.Mode, relative, entry.Content);
            _nodes.Add(node);
            parent.AddExisting(name, node);
        }
    }

    /// <summary>True once the trace passed its <see cref="FsOpKind.Acknowledged"/> operation.</summary>
    public bool Acknowledged { get; private set; }

    /// <summary>The folder as the process saw it when the write was acknowledged.</summary>
    public FileTree? AcknowledgedTree { get; private set; }

    /// <summary>The most blocks one pending write spanned so far (for the report).</summary>
    public int LargestWriteBlocks { get; private set; }

    /// <summary>The most pending changes one directory had so far (for the report).</summary>
    public int LargestPendingDirectoryChanges { get; private set; }

    public void Apply(FsOp op)
    {
        switch (op.Kind)
        {
            case FsOpKind.Open:
                Open(op);
                break;
            case FsOpKind.Write:
                ModelFile written = FileOf(op.Handle, op);
                var write = new FileChange(op.Offset < 0 ? written.Current.Length : op.Offset, op.Data);
                LargestWriteBlocks = Math.Max(LargestWriteBlocks, Cuts(write).Count + 1);
                written.Change(write);
                break;
            case FsOpKind.SetLength:
                (op.Handle != 0 ? FileOf(op.Handle, op) : Lookup(op.Path) as ModelFile ?? throw Lost(op)).Change(FileChange.SetLength(op.Length));
                break;
            case FsOpKind.Fsync:
                (_handles.GetValueOrDefault(op.Handle) ?? throw Lost(op)).MakeDurable();
                break;
            case FsOpKind.SyncAll:
                _nodes.ForEach(n => n.MakeDurable());
                break;
            case FsOpKind.Rename:
                Rename(op);
                break;
            case FsOpKind.Unlink or FsOpKind.Rmdir:
                (ModelDirectory directory, string name) = Parent(Relative(op.Path));
                _ = directory.Current.GetValueOrDefault(name) ?? throw Lost(op);
                ChangeDirectory(directory, new DirectoryChange(name, null, null, $"{op.Kind.ToString().ToLowerInvariant()} {Relative(op.Path)}"));
                break;
            case FsOpKind.Mkdir:
                AddEntry(op.Path, new ModelDirectory(op.Mode & ~_umask, Relative(op.Path)), "mkdir");
                break;
            case FsOpKind.Link:
                AddEntry(op.Target!, Lookup(op.Path) ?? throw Lost(op), "link");
                break;
            case FsOpKind.Acknowledged:
                Acknowledged = true;
                AcknowledgedTree = Current();
                break;
        }
    }

    /// <summary>The folder as the process sees it now (what a clean shutdown leaves).</summary>
    public FileTree Current() => Build(_ => null, _ => null);

    /// <summary>How many states <see cref="CrashStates"/> yields now, before duplicates are removed.</summary>
    public long CountCrashStates() =>
        Pending().Aggregate(1L, (count, node) => checked(count * (node is ModelFile f ? FileOptions(f).Count : DirectoryOptions((ModelDirectory)node).Count)));

    /// <summary>Every on-disk state a power cut now may leave (duplicates included; the caller dedupes by hash).</summary>
    public IEnumerable<CrashCandidate> CrashStates()
    {
        List<ModelNode> pending = Pending();
        var choices = pending.Select(node => node is ModelFile f
            ? FileOptions(f).Select(o => ((object)o.Content, o.Description)).ToList()
            : DirectoryOptions((ModelDirectory)node).Select(o => ((object)o.Entries, o.Description)).ToList()).ToList();
        long total = choices.Aggregate(1L, (count, list) => checked(count * list.Count));
        if (total > MaxStatesPerPoint)
        {
            throw new InvalidOperationException($"{total} crash states at one point: outside the bound of {MaxStatesPerPoint}");
        }

        int[] odometer = new int[pending.Count];
        while (true)
        {
            var files = new Dictionary<ModelNode, byte[]>();
            var directories = new Dictionary<ModelNode, Dictionary<string, ModelNode>>();
            var described = new List<string>();
            for (int i = 0; i < pending.Count; i++)
            {
                (object value, string description) = choices[i][odometer[i]];
                if (value is byte[] content)
                {
                    files[pending[i]] = content;
                }
                else
                {
                    directories[pending[i]] = (Dictionary<string, ModelNode>)value;
                }

                described.Add(description);
            }

            yield return new CrashCandidate(
                Build(f => files.GetValueOrDefault(f) ?? f.Durable, d => directories.GetValueOrDefault(d) ?? d.Durable),
                described.Count == 0 ? "everything durable" : string.Join("; ", described));

            int digit = 0;
            while (digit < odometer.Length && ++odometer[digit] == choices[digit].Count)
            {
                odometer[digit++] = 0;
            }

            if (digit == odometer.Length)
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// A file's possible durable bytes: the first k of its pending changes applied (k = 0..n), and for the
    /// next one, a write, each block-boundary cut: the file ending at the cut, or at its full new size with
    /// the unwritten new bytes zero.
    /// </summary>
    internal static List<(byte[] Content, string Description)> FileOptions(ModelFile file)
    {
        var options = new List<(byte[] Content, string Description)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        void Add(byte[] content, string description)
        {
            if (seen.Add(Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData(content))))
            {
                options.Add((content, $"{file.Name}: {description}"));
            }
        }

        byte[] content = file.Durable;
        Add(content, "no pending change durable");
        for (int k = 0; k < file.Pending.Count; k++)
        {
            FileChange change = file.Pending[k];
            if (change.IsWrite)
            {
                long fullLength = Math.Max(content.Length, change.Offset + change.Data.Length);
                foreach (long cut in Cuts(change))
                {
                    int bytes = (int)(cut - change.Offset);
                    Add(change.WritePart(content, bytes, Math.Max(content.Length, cut)), $"change {k + 1} cut at byte {cut}");
                    Add(change.WritePart(content, bytes, fullLength), $"change {k + 1} cut at byte {cut}, zero-filled to {fullLength}");
                }

                Add(change.WritePart(content, 0, fullLength), $"change {k + 1}: size only, zero-filled to {fullLength}");
            }

            content = change.ApplyTo(content);
            Add(content, $"{k + 1} of {file.Pending.Count} changes durable");
        }

        return options;
    }

    /// <summary>A directory's possible durable entries: each subset of its pending changes, applied in order.</summary>
    internal static List<(Dictionary<string, ModelNode> Entries, string Description)> DirectoryOptions(ModelDirectory directory)
    {
        int count = directory.Pending.Count;
        if (count > MaxPendingDirectoryChanges)
        {
            throw new InvalidOperationException($"{directory.Name} has {count} changes not yet durable: outside the bound of {MaxPendingDirectoryChanges}");
        }

        var options = new List<(Dictionary<string, ModelNode>, string)>();
        for (int mask = 0; mask < 1 << count; mask++)
        {
            var entries = new Dictionary<string, ModelNode>(directory.Durable, StringComparer.Ordinal);
            var undone = new List<string>();
            for (int i = 0; i < count; i++)
            {
                if ((mask & (1 << i)) != 0)
                {
                    directory.Pending[i].ApplyTo(entries);
                }
                else
                {
                    undone.Add(directory.Pending[i].Description);
                }
            }

            options.Add((entries, undone.Count == 0 ? $"{directory.Name}/: all {count} entry changes durable" : $"{directory.Name}/: undone {string.Join(", ", undone)}"));
        }

        return options;
    }

    /// <summary>The file offsets at which a write may be cut: the block boundaries strictly inside it (bounded).</summary>
    internal static List<long> Cuts(FileChange write)
    {
        long end = write.Offset + write.Data.Length;
        var cuts = new List<long>();
        for (long boundary = ((write.Offset / BlockSize) + 1) * BlockSize; boundary < end; boundary += BlockSize)
        {
            cuts.Add(boundary);
        }

        if (cuts.Count <= MaxCutsPerWrite)
        {
            return cuts;
        }

        int between = MaxCutsPerWrite - 32;
        return [.. cuts.Take(16), .. Enumerable.Range(1, between).Select(i => cuts[16 + (i * (cuts.Count - 32) / (between + 1))]), .. cuts.TakeLast(16)];
    }

    private void Open(FsOp op)
    {
        string relative = Relative(op.Path);
        ModelNode? node = Lookup(op.Path);
        if (node is null)
        {
            if (!op.Create)
            {
                throw Lost(op);
            }

            (ModelDirectory directory, string name) = Parent(relative);
            node = new ModelFile(op.Mode & ~_umask, relative, []);
            _nodes.Add(node);
            ChangeDirectory(directory, new DirectoryChange(null, name, node, $"create {relative}"));
        }
        else if (op.Truncate && node is ModelFile truncated)
        {
            truncated.Change(FileChange.SetLength(0));
        }

        _handles[op.Handle] = node;
    }

    private void Rename(FsOp op)
    {
        string from = Relative(op.Path);
        string to = Relative(op.Target!);
        (ModelDirectory source, string oldName) = Parent(from);
        (ModelDirectory target, string newName) = Parent(to);
        if (!ReferenceEquals(source, target))
        {
            throw new InvalidOperationException($"trace line {op.Line}: a rename between directories is outside the persistence model");
        }

        ModelNode node = source.Current.GetValueOrDefault(oldName) ?? throw Lost(op);
        if (from != to)
        {
            node.Name = to;
            ChangeDirectory(source, new DirectoryChange(oldName, newName, node, $"rename {from} -> {to}"));
        }
    }

    private void AddEntry(string path, ModelNode node, string verb)
    {
        string relative = Relative(path);
        (ModelDirectory directory, string name) = Parent(relative);
        if (!_nodes.Contains(node))
        {
            _nodes.Add(node);
        }

        ChangeDirectory(directory, new DirectoryChange(null, name, node, $"{verb} {relative}"));
    }

    private void ChangeDirectory(ModelDirectory directory, DirectoryChange change)
    {
        directory.Change(change);
        LargestPendingDirectoryChanges = Math.Max(LargestPendingDirectoryChanges, directory.Pending.Count);
    }

    /// <summary>The nodes with changes not yet durable that some crash state can reach from the root.</summary>
    private List<ModelNode> Pending()
    {
        var reachable = new List<ModelNode>();
        var queue = new Queue<ModelNode>([_rootNode]);
        var seen = new HashSet<ModelNode>([_rootNode]);
        while (queue.TryDequeue(out ModelNode? node))
        {
            reachable.Add(node);
            if (node is ModelDirectory directory)
            {
                foreach (ModelNode child in directory.Durable.Values.Concat(directory.Current.Values).Concat(directory.Pending.Where(c => c.Node is not null).Select(c => c.Node!)))
                {
                    if (seen.Add(child))
                    {
                        queue.Enqueue(child);
                    }
                }
            }
        }

        return [.. reachable.Where(n => n.HasPending)];
    }

    /// <summary>The tree from the root, each file's bytes and each directory's entries chosen by the functions (null: what the process sees).</summary>
    private FileTree Build(Func<ModelFile, byte[]?> fileContent, Func<ModelDirectory, Dictionary<string, ModelNode>?> directoryEntries)
    {
        var entries = new List<KeyValuePair<string, TreeEntry>>();
        void Walk(ModelDirectory directory, string prefix, HashSet<ModelDirectory> path)
        {
            foreach ((string name, ModelNode node) in directoryEntries(directory) ?? directory.Current)
            {
                string relative = prefix + name;
                if (node is ModelFile file)
                {
                    entries.Add(new(relative, TreeEntry.File(file.Mode, fileContent(file) ?? file.Current)));
                }
                else if (node is ModelDirectory child && path.Add(child))
                {
                    entries.Add(new(relative, TreeEntry.Directory(child.Mode)));
                    Walk(child, relative + "/", path);
                    path.Remove(child);
                }
            }
        }

        Walk(_rootNode, string.Empty, [_rootNode]);
        return new FileTree(entries);
    }

    private ModelFile FileOf(int handle, FsOp op) => _handles.GetValueOrDefault(handle) as ModelFile ?? throw Lost(op);

    private ModelNode? Lookup(string path)
    {
        string relative = Relative(path);
        if (relative.Length == 0)
        {
            return _rootNode;
        }

        (ModelDirectory directory, string name) = Parent(relative);
        return directory.Current.GetValueOrDefault(name);
    }

    private (ModelDirectory Directory, string Name) Parent(string relative)
    {
        string[] parts = relative.Split('/');
        ModelDirectory directory = _rootNode;
        foreach (string part in parts[..^1])
        {
            directory = directory.Current.GetValueOrDefault(part) as ModelDirectory
                ?? throw new InvalidOperationException($"the model has no directory {part} on the way to {relative}");
        }

        return (directory, parts[^1]);
    }

    private string Relative(string path) =>
        path == _root ? string.Empty
        : path.StartsWith(_root + "/", StringComparison.Ordinal) ? path[(_root.Length + 1)..]
        : throw new InvalidOperationException($"{path} is not under {_root}");

    private static InvalidOperationException Lost(FsOp op) =>
        new($"trace line {op.Line}: the model lost track of the files ({op}): the trace and the model disagree");
}
