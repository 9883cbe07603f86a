namespace Provisioning.Daemon.Model;

/// <summary>A provisioning the back office issued, validated as backoffice-protocol.md says.</summary>
internal sealed record ProvisioningDocument(
    string Id,
    DateTimeOffset Issued,
    DateTimeOffset? Expires,
    IReadOnlyList<LabelKeys> Tokens)
{
    /// <summary>The labels, sorted ordinally: what `state.tokens` shows.</summary>
    public IReadOnlyList<string> SortedLabels() =>
        [.. Tokens.Select(t => t.Label).Order(StringComparer.Ordinal)];

    public LabelKeys? Find(string label) =>
        Tokens.FirstOrDefault(t => string.Equals(t.Label, label, StringComparison.Ordinal));
}
