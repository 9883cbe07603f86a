namespace Provisioning.BackOfficeSimulator;

/// <summary>
/// One device as the back office knows it: an immutable snapshot. Rotating keys or changing the
/// state replaces the device in the registry, so a snapshot held by a test keeps the old keys.
/// </summary>
internal sealed class SimulatedDevice
{
    public SimulatedDevice(string id, OrderedDictionary<string, IReadOnlyList<byte[]>> labels, DeviceState state, int generation)
    {
        Id = id;
        Labels = labels;
        State = state;
        Generation = generation;
    }

    public string Id { get; }

    /// <summary>Label -> key slots, in the order the back office answers them. Keys are fake test material.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<byte[]>> Labels { get; }

    public DeviceState State { get; }

    /// <summary>0 when enrolled; +1 on every key rotation.</summary>
    public int Generation { get; }

    /// <summary>The labels, in answer order.</summary>
    public IReadOnlyList<string> LabelNames => [.. Labels.Keys];

    /// <summary>The keys of one label; throws when the device lacks it.</summary>
    public IReadOnlyList<byte[]> KeysOf(string label) => Labels[label];

    internal SimulatedDevice With(OrderedDictionary<string, IReadOnlyList<byte[]>>? labels = null, DeviceState? state = null, int? generation = null) =>
        new(Id, labels ?? (OrderedDictionary<string, IReadOnlyList<byte[]>>)Labels, state ?? State, generation ?? Generation);
}
