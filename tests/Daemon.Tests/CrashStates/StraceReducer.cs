namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>
/// Turns the system calls of a trace into the logical operations on the files under one folder (the
/// "root": a state directory's parent). File descriptors are followed through open, dup and close, offsets
/// through write and lseek. A write anywhere whose bytes hold the acknowledgement marker (the daemon's
/// "state written" log line) becomes <see cref="FsOpKind.Acknowledged"/>. Calls under the root that the
/// persistence model does not cover (symlinks, fallocate, RENAME_EXCHANGE) stop the reduction with an error
/// rather than being ignored.
/// </summary>
internal sealed class StraceReducer(string root, byte[] acknowledgementMarker)
{
    private readonly string _root = System.IO.Path.TrimEndingDirectorySeparator(root);
    private readonly Dictionary<int, OpenFile> _fds = [];
    private readonly List<FsOp> _ops = [];
    private int _nextHandle = 1;

    public static IReadOnlyList<FsOp> Reduce(IEnumerable<string> lines, string root, string acknowledgementMarker) =>
        new StraceReducer(root, System.Text.Encoding.UTF8.GetBytes(acknowledgementMarker)).Run(StraceLog.ReadCalls(lines));

    private List<FsOp> Run(IEnumerable<StraceCall> calls)
    {
        foreach (StraceCall call in calls)
        {
            if (call.Succeeded)
            {
                Apply(call);
            }
        }

        return _ops;
    }

    private void Apply(StraceCall call)
    {
        switch (call.Name)
        {
            case "open":
                Open(call, Absolute(call, 0), call.Flags(1), call.Arguments.Count > 2 ? call.Integer(2) : 0);
                break;
            case "openat":
                Open(call, Resolve(call, 0, 1), call.Flags(2), call.Arguments.Count > 3 ? call.Integer(3) : 0);
                break;
            case "creat":
                Open(call, Absolute(call, 0), ["O_WRONLY", "O_CREAT", "O_TRUNC"], call.Integer(1));
                break;
            case "close":
                _fds.Remove(call.Fd(0));
                break;
            case "dup":
                Duplicate(call.Fd(0), (int)call.ReturnValue);
                break;
            case "dup2" or "dup3":
                Duplicate(call.Fd(0), call.Fd(1));
                break;
            case "fcntl" when call.Arguments[1] is "F_DUPFD" or "F_DUPFD_CLOEXEC":
                Duplicate(call.Fd(0), (int)call.ReturnValue);
                break;
            case "lseek" when _fds.TryGetValue(call.Fd(0), out OpenFile? seeked):
                seeked.Offset = call.ReturnValue;
                break;
            case "write":
                Write(call, call.Bytes(1), offset: null);
                break;
            case "pwrite64":
                Write(call, call.Bytes(1), call.Integer(3));
                break;
            case "writev":
                Write(call, call.IovecBytes(1), offset: null);
                break;
            case "pwritev" or "pwritev2":
                Write(call, call.IovecBytes(1), call.Integer(3));
                break;
            case "ftruncate" when Tracked(call.Fd(0)) is { } truncated:
                Add(call, new FsOp(FsOpKind.SetLength) { Handle = truncated.Handle, Path = truncated.Path, Length = call.Integer(1) });
                break;
            case "truncate" when Inside(Absolute(call, 0)):
                Add(call, new FsOp(FsOpKind.SetLength) { Path = Absolute(call, 0), Length = call.Integer(1) });
                break;
            case "fsync" or "fdatasync" when Tracked(call.Fd(0)) is { } synced:
                Add(call, new FsOp(FsOpKind.Fsync) { Handle = synced.Handle, Path = synced.Path });
                break;
            case "sync" or "syncfs":
                Add(call, new FsOp(FsOpKind.SyncAll));
                break;
            case "rename":
                Rename(call, Absolute(call, 0), Absolute(call, 1), flags: "0");
                break;
            case "renameat":
                Rename(call, Resolve(call, 0, 1), Resolve(call, 2, 3), flags: "0");
                break;
            case "renameat2":
                Rename(call, Resolve(call, 0, 1), Resolve(call, 2, 3), call.Arguments[4]);
                break;
            case "unlink":
                PathOp(call, FsOpKind.Unlink, Absolute(call, 0));
                break;
            case "unlinkat":
                PathOp(call, call.Arguments[2].Contains("AT_REMOVEDIR", StringComparison.Ordinal) ? FsOpKind.Rmdir : FsOpKind.Unlink, Resolve(call, 0, 1));
                break;
            case "rmdir":
                PathOp(call, FsOpKind.Rmdir, Absolute(call, 0));
                break;
            case "mkdir":
                PathOp(call, FsOpKind.Mkdir, Absolute(call, 0), call.Integer(1));
                break;
            case "mkdirat":
                PathOp(call, FsOpKind.Mkdir, Resolve(call, 0, 1), call.Integer(2));
                break;
            case "link":
                TwoPathOp(call, FsOpKind.Link, Absolute(call, 0), Absolute(call, 1));
                break;
            case "linkat":
                TwoPathOp(call, FsOpKind.Link, Resolve(call, 0, 1), Resolve(call, 2, 3));
                break;
            case "symlink" when Inside(Absolute(call, 1)):
            case "symlinkat" when Inside(Resolve(call, 1, 2)):
            case "fallocate" when Tracked(call.Fd(0)) is not null:
                throw OutsideModel(call);
        }
    }

    private void Open(StraceCall call, string path, IReadOnlyList<string> flags, long mode)
    {
        string full = call.ReturnPath is { Length: > 0 } opened && opened.StartsWith('/') ? Full(opened) : path;
        bool tracked = Inside(full);
        var file = new OpenFile(_nextHandle++, full, flags.Contains("O_APPEND"), tracked);
        _fds[(int)call.ReturnValue] = file;
        if (tracked)
        {
            Add(call, new FsOp(FsOpKind.Open)
            {
                Path = file.Path,
                Handle = file.Handle,
                Create = flags.Contains("O_CREAT"),
                Truncate = flags.Contains("O_TRUNC"),
                Mode = (UnixFileMode)mode,
            });
        }
    }

    private void Duplicate(int from, int to)
    {
        if (_fds.TryGetValue(from, out OpenFile? file))
        {
            _fds[to] = file;
        }
        else
        {
            _fds.Remove(to);
        }
    }

    private void Write(StraceCall call, byte[] data, long? offset)
    {
        int written = (int)call.ReturnValue;
        byte[] bytes = data.Length > written ? data[..written] : data;
        if (bytes.AsSpan().IndexOf(acknowledgementMarker) >= 0)
        {
            Add(call, new FsOp(FsOpKind.Acknowledged));
        }

        if (Tracked(call.Fd(0)) is not { } file)
        {
            return;
        }

        long at = offset ?? (file.Append ? -1 : file.Offset);
        if (offset is null && !file.Append)
        {
            file.Offset += written;
        }

        Add(call, new FsOp(FsOpKind.Write) { Handle = file.Handle, Path = file.Path, Offset = at, Data = bytes });
    }

    private void Rename(StraceCall call, string from, string to, string flags)
    {
        if (!Inside(from) && !Inside(to))
        {
            return;
        }

        if (flags.Contains("RENAME_EXCHANGE", StringComparison.Ordinal) || Inside(from) != Inside(to))
        {
            throw OutsideModel(call);
        }

        Add(call, new FsOp(FsOpKind.Rename) { Path = from, Target = to });
    }

    private void PathOp(StraceCall call, FsOpKind kind, string path, long mode = 0)
    {
        if (Inside(path))
        {
            Add(call, new FsOp(kind) { Path = path, Mode = (UnixFileMode)mode });
        }
    }

    private void TwoPathOp(StraceCall call, FsOpKind kind, string from, string to)
    {
        if (Inside(from) || Inside(to))
        {
            Add(call, new FsOp(kind) { Path = from, Target = to });
        }
    }

    private void Add(StraceCall call, FsOp op) => _ops.Add(op with { Line = call.Line });

    private OpenFile? Tracked(int fd) => _fds.TryGetValue(fd, out OpenFile? file) && file.Tracked ? file : null;

    /// <summary>The absolute path of argument <paramref name="pathIndex"/>, relative paths taken from the dirfd argument's path.</summary>
    private static string Resolve(StraceCall call, int dirIndex, int pathIndex)
    {
        string path = call.Text(pathIndex);
        if (path.StartsWith('/'))
        {
            return Full(path);
        }

        string directory = call.FdPath(dirIndex)
            ?? throw new InvalidDataException($"trace line {call.Line}: a relative path without the directory's path (record with strace -y)");
        return Full(System.IO.Path.Combine(directory, path));
    }

    /// <summary>
    /// The path of argument <paramref name="index"/> of a call without a dirfd. A relative path is left as it
    /// is, which is never under the root: the recorder runs the daemon in a working directory outside it.
    /// </summary>
    private static string Absolute(StraceCall call, int index)
    {
        string path = call.Text(index);
        return path.StartsWith('/') ? Full(path) : path;
    }

    private static string Full(string path) => System.IO.Path.TrimEndingDirectorySeparator(System.IO.Path.GetFullPath(path));

    /// <summary>The root itself (its fsync matters) or anything under it.</summary>
    private bool Inside(string path) => path == _root || path.StartsWith(_root + "/", StringComparison.Ordinal);

    private static InvalidDataException OutsideModel(StraceCall call) =>
        new($"trace line {call.Line}: {call.Name} under the traced folder is outside the persistence model");
}
