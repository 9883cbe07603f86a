namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>An inode of the persistence model: a <see cref="ModelFile"/> or a <see cref="ModelDirectory"/>.</summary>
internal abstract class ModelNode(UnixFileMode mode, string name)
{
    public UnixFileMode Mode { get; } = mode;

    /// <summary>The path it was last known by (relative to the root), for descriptions.</summary>
    public string Name { get; set; } = name;

    public abstract bool HasPending { get; }

    /// <summary>What an fsync of it does: everything the process sees of it becomes durable.</summary>
    public abstract void MakeDurable();
}
