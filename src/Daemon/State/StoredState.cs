using System.Collections.Immutable;
using Provisioning.Daemon.Model;

namespace Provisioning.Daemon.State;

/// <summary>What survives a restart: the last good provisioning, the chosen slots and the status that came with it.</summary>
internal sealed record StoredState(
    ProvisioningDocument? Provisioning,
    ImmutableSortedDictionary<string, int> Indexes,
    int Status)
{
    public static StoredState Empty { get; } = new(null, ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal), 0);
}
