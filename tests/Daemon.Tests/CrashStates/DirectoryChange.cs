namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>
/// A change to a directory's entries not yet made durable by an fsync of the directory: a name removed
/// (unlink, rmdir), a name added (create, mkdir, link), or both at once (rename, atomic).
/// </summary>
internal sealed record DirectoryChange(string? Removed, string? Added, ModelNode? Node, string Description)
{
    public void ApplyTo(Dictionary<string, ModelNode> entries)
    {
        if (Removed is not null)
        {
            entries.Remove(Removed);
        }

        if (Added is not null)
        {
            entries[Added] = Node!;
        }
    }
}
