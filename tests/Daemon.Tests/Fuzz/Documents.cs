using System.Collections.Immutable;
using CsCheck;
using Provisioning.Daemon.Model;
using Provisioning.Daemon.State;

namespace Provisioning.Daemon.Tests.Fuzz;

/// <summary>Valid provisionings and stored states of every shape the protocol allows.</summary>
internal static class Documents
{
    public const string DeviceId = "WPE00000uCfrLF45";

    private static readonly DateTime Start = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static Gen<string> Label { get; } = Gen.String[Gen.Char["abcdefghijklmnopqrstuvwxyzABCZ0189._-"], 1, 64];

    /// <summary>1 to 6 distinct labels with 1 to 16 keys of 1 to 256 bytes (the protocol allows 64 KiB; smaller keeps it fast).</summary>
    public static Gen<ProvisioningDocument> Document { get; } = Gen.Select(
        Label.ArrayUnique[1, 6],
        Gen.Byte.Array[1, 256].Array[1, 16].Array[6],
        Gen.Int[0, 365 * 24 * 3600],
        Gen.Int[0, 2 * 365 * 24 * 3600],
        (labels, keys, issuedSeconds, lifetimeSeconds) =>
        {
            // Whole seconds: the wire and the state file carry DateTimeOffset to the tick, the simulator's DateTime too.
            var issued = new DateTimeOffset(Start.AddSeconds(issuedSeconds));
            DateTimeOffset? expires = lifetimeSeconds == 0 ? null : issued.AddSeconds(lifetimeSeconds);
            return new ProvisioningDocument(DeviceId, issued, expires, [.. labels.Select((label, i) => new LabelKeys(label, keys[i]))]);
        });

    /// <summary>A stored state: a provisioning, chosen slots that exist in it, status 200.</summary>
    public static Gen<StoredState> Stored { get; } = Gen.Select(Document, Gen.Int[0, 15].Array[6], Gen.Bool.Array[6], (document, slots, chosen) =>
        new StoredState(
            document,
            document.Labels
                .Select((label, i) => (label, slot: slots[i] % label.Keys.Count, chosen: chosen[i]))
                .Where(x => x.chosen)
                .ToImmutableSortedDictionary(x => x.label.Label, x => x.slot, StringComparer.Ordinal),
            200));

    public static bool Same(ProvisioningDocument? a, ProvisioningDocument? b) =>
        a is null ? b is null
        : b is not null
            && a.Id == b.Id
            && a.Issued == b.Issued
            && a.Expires == b.Expires
            && a.Labels.Count == b.Labels.Count
            && a.Labels.Zip(b.Labels).All(pair => pair.First.Label == pair.Second.Label
                && pair.First.Keys.Count == pair.Second.Keys.Count
                && pair.First.Keys.Zip(pair.Second.Keys).All(k => k.First.AsSpan().SequenceEqual(k.Second)));

    public static bool Same(StoredState a, StoredState b) =>
        Same(a.Provisioning, b.Provisioning) && a.Status == b.Status && a.Indexes.SequenceEqual(b.Indexes);
}
