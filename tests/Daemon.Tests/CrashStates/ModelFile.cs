namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>A regular file of the model: its durable bytes (as of its last fsync) and the changes since.</summary>
internal sealed class ModelFile(UnixFileMode mode, string name, byte[] durable) : ModelNode(mode, name)
{
    public byte[] Durable { get; private set; } = durable;

    /// <summary>What the process reads now.</summary>
    public byte[] Current { get; private set; } = durable;

    public List<FileChange> Pending { get; } = [];

    public override bool HasPending => Pending.Count > 0;

    public void Change(FileChange change)
    {
        Pending.Add(change);
        Current = change.ApplyTo(Current);
    }

    public override void MakeDurable()
    {
        Durable = Current;
        Pending.Clear();
    }
}
