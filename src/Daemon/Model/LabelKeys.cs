namespace Provisioning.Daemon.Model;

/// <summary>The key slots of one label. Keys are secrets: never log or print them.</summary>
internal sealed record LabelKeys(string Label, IReadOnlyList<byte[]> Keys)
{
    public bool HasSlot(int slot) => slot >= 0 && slot < Keys.Count;
}
