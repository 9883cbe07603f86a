using System.Collections.Immutable;

namespace Provisioning.Daemon.Model;

/// <summary>A provisioning the back office issued, validated as docs/backoffice-protocol.md says.</summary>
internal sealed record ProvisioningDocument(
    string Id,
    DateTimeOffset Issued,
    DateTimeOffset? Expires,
    IReadOnlyList<LabelKeys> Labels)
{
    /// <summary>The labels, sorted ordinally: what callers see as the state's labels.</summary>
    public IReadOnlyList<string> SortedLabels() =>
        [.. Labels.Select(t => t.Label).Order(StringComparer.Ordinal)];

    public LabelKeys? Find(string label) =>
        Labels.FirstOrDefault(t => string.Equals(t.Label, label, StringComparison.Ordinal));

    /// <summary>The chosen slots that still name a label and a slot of this provisioning; the others are dropped.</summary>
    public ImmutableSortedDictionary<string, int> KeepExistingSlots(IEnumerable<KeyValuePair<string, int>> indexes) =>
        indexes.Where(pair => Find(pair.Key)?.HasSlot(pair.Value) == true)
            .ToImmutableSortedDictionary(pair => pair.Key, pair => pair.Value, StringComparer.Ordinal);
}
