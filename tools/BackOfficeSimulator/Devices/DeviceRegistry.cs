using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace Provisioning.BackOfficeSimulator;

/// <summary>The devices the simulated back office knows, with their labels and generated keys. Thread-safe.</summary>
internal sealed class DeviceRegistry
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, SimulatedDevice> _devices = new(StringComparer.Ordinal);
    private readonly SimulatorOptions _options;

    public DeviceRegistry(SimulatorOptions options)
    {
        _options = options;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _devices.Count;
            }
        }
    }

    /// <summary>Adds (or replaces) a device with freshly generated keys; no labels means the default labels.</summary>
    public SimulatedDevice Add(string id, params string[] labels)
    {
        IReadOnlyList<string> names = labels.Length > 0 ? labels : _options.EffectiveDefaultLabels();
        CheckId(id);
        foreach (string label in names)
        {
            if (!ProtocolRules.IsValidLabel(label))
            {
                throw new ArgumentException($"'{label}' is not 1-64 characters of [A-Za-z0-9._-].", nameof(labels));
            }
        }

        if (names.Distinct(StringComparer.Ordinal).Count() != names.Count)
        {
            throw new ArgumentException("A label appears twice.", nameof(labels));
        }

        return Store(new SimulatedDevice(id, GenerateKeys(names), DeviceState.Active, 0));
    }

    /// <summary>
    /// Adds (or replaces) a device with the given keys. Key counts and sizes are deliberately not checked,
    /// so tests can make the back office answer at and beyond the protocol limits.
    /// </summary>
    public SimulatedDevice AddWithKeys(string id, IEnumerable<KeyValuePair<string, IReadOnlyList<byte[]>>> labels)
    {
        CheckId(id);
        OrderedDictionary<string, IReadOnlyList<byte[]>> copy = new(StringComparer.Ordinal);
        foreach ((string label, IReadOnlyList<byte[]> keys) in labels)
        {
            if (!ProtocolRules.IsValidLabel(label) || !copy.TryAdd(label, [.. keys.Select(k => k.ToArray())]))
            {
                throw new ArgumentException($"Label '{label}' is invalid or appears twice.", nameof(labels));
            }
        }

        if (copy.Count == 0)
        {
            throw new ArgumentException("A device needs at least one label.", nameof(labels));
        }

        return Store(new SimulatedDevice(id, copy, DeviceState.Active, 0));
    }

    public bool TryGet(string id, [NotNullWhen(true)] out SimulatedDevice? device)
    {
        lock (_lock)
        {
            return _devices.TryGetValue(id, out device);
        }
    }

    /// <summary>Replaces every key of the device with new random keys (same labels, same key counts).</summary>
    public SimulatedDevice RotateKeys(string id)
    {
        lock (_lock)
        {
            SimulatedDevice device = GetExisting(id);
            OrderedDictionary<string, IReadOnlyList<byte[]>> keys = new(StringComparer.Ordinal);
            foreach ((string label, IReadOnlyList<byte[]> old) in device.Labels)
            {
                keys.Add(label, [.. old.Select(k => RandomNumberGenerator.GetBytes(k.Length))]);
            }

            return _devices[id] = device.With(labels: keys, generation: device.Generation + 1);
        }
    }

    /// <summary>Blocks (403), retires (410) or re-activates a device.</summary>
    public SimulatedDevice SetState(string id, DeviceState state)
    {
        lock (_lock)
        {
            return _devices[id] = GetExisting(id).With(state: state);
        }
    }

    public bool Remove(string id)
    {
        lock (_lock)
        {
            return _devices.Remove(id);
        }
    }

    /// <summary>All devices, sorted by ID.</summary>
    public IReadOnlyList<SimulatedDevice> Snapshot()
    {
        lock (_lock)
        {
            return [.. _devices.Values.OrderBy(d => d.Id, StringComparer.Ordinal)];
        }
    }

    /// <summary>The device, enrolling it when auto-enrolment is on; null when unknown or the registry is full.</summary>
    internal SimulatedDevice? GetOrEnroll(string id, out bool full)
    {
        full = false;
        lock (_lock)
        {
            if (_devices.TryGetValue(id, out SimulatedDevice? device))
            {
                return device;
            }

            if (!_options.AutoEnroll)
            {
                return null;
            }

            if (_devices.Count >= _options.MaxDevices)
            {
                full = true;
                return null;
            }

            device = new SimulatedDevice(id, GenerateKeys(_options.EffectiveDefaultLabels()), DeviceState.Active, 0);
            _devices.Add(id, device);
            return device;
        }
    }

    private SimulatedDevice Store(SimulatedDevice device)
    {
        lock (_lock)
        {
            return _devices[device.Id] = device;
        }
    }

    private SimulatedDevice GetExisting(string id) =>
        _devices.TryGetValue(id, out SimulatedDevice? device) ? device : throw new KeyNotFoundException($"No device '{id}'.");

    private OrderedDictionary<string, IReadOnlyList<byte[]>> GenerateKeys(IReadOnlyList<string> labels)
    {
        OrderedDictionary<string, IReadOnlyList<byte[]>> keys = new(StringComparer.Ordinal);
        for (int i = 0; i < labels.Count; i++)
        {
            keys[labels[i]] = [.. Enumerable.Range(0, _options.KeyCountFor(i)).Select(_ => RandomNumberGenerator.GetBytes(_options.KeySize))];
        }

        return keys;
    }

    private static void CheckId(string id)
    {
        if (!ProtocolRules.IsValidProvisionId(id))
        {
            throw new ArgumentException($"'{id}' is not a provision ID (WPE and 13 base62 characters).", nameof(id));
        }
    }
}
