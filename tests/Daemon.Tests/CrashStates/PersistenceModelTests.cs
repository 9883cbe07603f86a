using System.Text;

namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>The persistence model on hand-written operations: it finds the classic crash bugs ALICE describes.</summary>
public sealed class PersistenceModelTests
{
    private const string Root = "/r";
    private const UnixFileMode Rw = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public void RenameOverAFile_WithoutFsyncOfTheNewFile_CanLeaveTheTargetEmptyOrCut()
    {
        byte[] data = Bytes(3 * PersistenceModel.BlockSize);
        var model = Model(("f", Encoding.ASCII.GetBytes("old")));
        Apply(model, Open("/r/f.tmp", 1, create: true), Write(1, 0, data), Rename("/r/f.tmp", "/r/f"), Open("/r", 2), Fsync(2));

        var contents = model.CrashStates().Select(s => s.Tree.Entries["f"].Content).ToList();

        Assert.Contains(contents, c => c.Length == 0);
        Assert.Contains(contents, c => c.Length == PersistenceModel.BlockSize && c.AsSpan().SequenceEqual(data.AsSpan(0, PersistenceModel.BlockSize)));
        Assert.Contains(contents, c => c.Length == data.Length && c.AsSpan(2 * PersistenceModel.BlockSize).IndexOfAnyExcept((byte)0) < 0);
        Assert.Contains(contents, c => c.AsSpan().SequenceEqual(data));
        Assert.DoesNotContain(contents, c => c.AsSpan().SequenceEqual("old"u8));
    }

    [Fact]
    public void RenameOverAFile_AfterFsyncButBeforeTheDirectoryFsync_LeavesTheOldOrTheNewFileWhole()
    {
        byte[] data = Bytes(2 * PersistenceModel.BlockSize);
        var model = Model(("f", Encoding.ASCII.GetBytes("old")));
        Apply(model, Open("/r/f.tmp", 1, create: true), Write(1, 0, data), Fsync(1), Rename("/r/f.tmp", "/r/f"));

        var states = model.CrashStates().Select(s => s.Tree).ToList();

        Assert.All(states, t => Assert.True(t.Entries["f"].Content.AsSpan().SequenceEqual("old"u8) || t.Entries["f"].Content.AsSpan().SequenceEqual(data)));
        Assert.Contains(states, t => t.Entries["f"].Content.AsSpan().SequenceEqual("old"u8));
        Assert.Contains(states, t => t.Entries.ContainsKey("f.tmp"));
        Assert.Contains(states, t => !t.Entries.ContainsKey("f.tmp") && t.Entries["f"].Content.AsSpan().SequenceEqual(data));
    }

    [Fact]
    public void DirectoryFsync_MakesTheRenameDurable_AndAFileInANewDirectoryNeedsTheParentFlushedToo()
    {
        var model = Model();
        Apply(model, new FsOp(FsOpKind.Mkdir) { Path = "/r/d", Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute });
        Apply(model, Open("/r/d/f.tmp", 1, create: true), Write(1, 0, [1, 2, 3]), Fsync(1), Rename("/r/d/f.tmp", "/r/d/f"), Open("/r/d", 2), Fsync(2));

        Assert.Contains(model.CrashStates(), s => s.Tree.Entries.Count == 0);
        Assert.All(model.CrashStates(), s => Assert.True(s.Tree.Entries.Count == 0 || s.Tree.Entries.ContainsKey("d/f")));

        Apply(model, Open("/r", 3), Fsync(3));

        CrashCandidate only = Assert.Single(model.CrashStates());
        Assert.Equal([1, 2, 3], only.Tree.Entries["d/f"].Content);
    }

    [Fact]
    public void UnlinkWithoutDirectoryFsync_CanBeUndone_AndEveryCrashStateIsCounted()
    {
        var model = Model(("a", [1]), ("b", [2]));
        Apply(model, new FsOp(FsOpKind.Unlink) { Path = "/r/a" }, new FsOp(FsOpKind.Unlink) { Path = "/r/b" });

        var states = model.CrashStates().ToList();

        Assert.Equal(4, states.Count);
        Assert.Equal(4, model.CountCrashStates());
        Assert.Equal(4, states.Select(s => s.Tree.Hash).Distinct().Count());
    }

    [Fact]
    public void Cuts_OfAWriteOverManyBlocks_AreBoundedAndIncludeBothEnds()
    {
        var write = new FileChange(100, new byte[1000 * PersistenceModel.BlockSize]);

        List<long> cuts = PersistenceModel.Cuts(write);

        Assert.Equal(PersistenceModel.MaxCutsPerWrite, cuts.Count);
        Assert.Equal(PersistenceModel.BlockSize, cuts[0]);
        Assert.Equal(1000L * PersistenceModel.BlockSize, cuts[^1]);
        Assert.Equal(cuts.Count, cuts.Distinct().Count());
    }

    private static PersistenceModel Model(params (string Name, byte[] Content)[] files) =>
        new(Root, new FileTree(files.Select(f => KeyValuePair.Create(f.Name, TreeEntry.File(Rw, f.Content)))), UnixFileMode.None);

    private static void Apply(PersistenceModel model, params FsOp[] ops)
    {
        foreach (FsOp op in ops)
        {
            model.Apply(op);
        }
    }

    private static FsOp Open(string path, int handle, bool create = false) => new(FsOpKind.Open) { Path = path, Handle = handle, Create = create, Mode = Rw };

    private static FsOp Write(int handle, long offset, byte[] data) => new(FsOpKind.Write) { Handle = handle, Offset = offset, Data = data };

    private static FsOp Fsync(int handle) => new(FsOpKind.Fsync) { Handle = handle };

    private static FsOp Rename(string from, string to) => new(FsOpKind.Rename) { Path = from, Target = to };

    private static byte[] Bytes(int count) => [.. Enumerable.Range(0, count).Select(i => (byte)((i % 251) + 1))];
}
