namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>The logical file-system operations a trace is reduced to (ALICE's "logical operations").</summary>
internal enum FsOpKind
{
    /// <summary>A file or directory opened (created when <see cref="FsOp.Create"/> and missing; emptied when <see cref="FsOp.Truncate"/>).</summary>
    Open,

    /// <summary>Bytes written to an open file at an offset (-1: at the end, O_APPEND).</summary>
    Write,

    /// <summary>A file's size set (ftruncate/truncate).</summary>
    SetLength,

    /// <summary>fsync/fdatasync of an open file or directory.</summary>
    Fsync,

    /// <summary>sync/syncfs: everything becomes durable.</summary>
    SyncAll,

    Rename,
    Unlink,
    Mkdir,
    Rmdir,

    /// <summary>A hard link: <see cref="FsOp.Target"/> names the file at <see cref="FsOp.Path"/> too.</summary>
    Link,

    /// <summary>The daemon said the state write is done (its log line); from here on the new state must survive.</summary>
    Acknowledged,
}
