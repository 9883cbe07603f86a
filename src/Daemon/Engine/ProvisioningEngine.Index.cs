using Provisioning.Daemon.Model;
using Provisioning.Daemon.State;

namespace Provisioning.Daemon.Engine;

internal sealed partial class ProvisioningEngine
{
    private EngineError ApplyIndex(string? label, int? index)
    {
        if (!_storeUsable || _provisionId is null)
        {
            return EngineError.Unavailable;
        }

        StoredState stored = _stored;
        if (stored.Provisioning is not { } document)
        {
            return EngineError.NotProvisioned;
        }

        int slot = index ?? 0;
        IReadOnlyList<LabelKeys> targets = label is null ? document.Labels : document.Find(label) is { } one ? [one] : [];
        if (targets.Count == 0)
        {
            return EngineError.UnknownLabel;
        }

        if (targets.Any(t => !t.HasSlot(slot)))
        {
            return EngineError.IndexOutOfRange;
        }

        var indexes = stored.Indexes.SetItems(targets.Select(t => KeyValuePair.Create(t.Label, slot)));
        if (indexes.SequenceEqual(stored.Indexes))
        {
            return EngineError.None;
        }

        var updated = stored with { Indexes = indexes };
        try
        {
            _store.Save(updated, _provisionId);
        }
        catch (StateStoreException)
        {
            return EngineError.Unavailable;
        }

        _stored = updated;
        Publish(state => state with { Indexes = indexes }, StateChange.IndexChanged);
        return EngineError.None;
    }
}
