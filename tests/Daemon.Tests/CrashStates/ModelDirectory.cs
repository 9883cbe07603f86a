namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>A directory of the model: its durable entries (as of its last fsync) and the changes since.</summary>
internal sealed class ModelDirectory(UnixFileMode mode, string name) : ModelNode(mode, name)
{
    public Dictionary<string, ModelNode> Durable { get; private set; } = new(StringComparer.Ordinal);

    /// <summary>What the process sees now.</summary>
    public Dictionary<string, ModelNode> Current { get; } = new(StringComparer.Ordinal);

    public List<DirectoryChange> Pending { get; } = [];

    public override bool HasPending => Pending.Count > 0;

    /// <summary>An entry that was there, durably, before the trace began.</summary>
    public void AddExisting(string name, ModelNode node)
    {
        Durable[name] = node;
        Current[name] = node;
    }

    public void Change(DirectoryChange change)
    {
        Pending.Add(change);
        change.ApplyTo(Current);
    }

    public override void MakeDurable()
    {
        Durable = new(Current, StringComparer.Ordinal);
        Pending.Clear();
    }
}
