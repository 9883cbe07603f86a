namespace Provisioning.BackOfficeSimulator;

/// <summary>
/// The ordered queue of faults. A request takes one repetition of the first entry that matches it
/// (kind of request, device); an entry leaves the queue when its repetitions are spent. Thread-safe.
/// </summary>
internal sealed class FaultPlan
{
    public const int MaxEntries = 10_000;

    private readonly Lock _lock = new();
    private readonly List<Entry> _entries = [];

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    /// <summary>Appends faults; throws <see cref="ArgumentException"/> naming every invalid member, and adds nothing then.</summary>
    public void Add(params IEnumerable<FaultSpec> faults)
    {
        List<Entry> checkedEntries = Check(faults);
        lock (_lock)
        {
            if (_entries.Count + checkedEntries.Count > MaxEntries)
            {
                throw new ArgumentException($"The fault plan holds at most {MaxEntries} entries.", nameof(faults));
            }

            _entries.AddRange(checkedEntries);
        }
    }

    /// <summary>Replaces the whole plan.</summary>
    public void Replace(IEnumerable<FaultSpec> faults)
    {
        List<Entry> checkedEntries = Check(faults);
        if (checkedEntries.Count > MaxEntries)
        {
            throw new ArgumentException($"The fault plan holds at most {MaxEntries} entries.", nameof(faults));
        }

        lock (_lock)
        {
            _entries.Clear();
            _entries.AddRange(checkedEntries);
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
        }
    }

    /// <summary>The pending faults, in order; Repeat is the number of repetitions left.</summary>
    public IReadOnlyList<FaultSpec> Snapshot()
    {
        lock (_lock)
        {
            return [.. _entries.Select(e => e.Spec with { Repeat = e.Remaining })];
        }
    }

    /// <summary>Takes one repetition of the first fault matching the request, or returns null.</summary>
    internal FaultSpec? TryTake(FaultTarget request, string? deviceId)
    {
        lock (_lock)
        {
            int index = _entries.FindIndex(e => e.Spec.Matches(request, deviceId));
            if (index < 0)
            {
                return null;
            }

            Entry entry = _entries[index];
            if (!entry.Spec.Forever && --entry.Remaining == 0)
            {
                _entries.RemoveAt(index);
            }

            return entry.Spec;
        }
    }

    private static List<Entry> Check(IEnumerable<FaultSpec> faults)
    {
        ArgumentNullException.ThrowIfNull(faults);
        List<Entry> entries = [];
        List<string> errors = [];
        foreach (FaultSpec fault in faults)
        {
            ArgumentNullException.ThrowIfNull(fault);
            errors.AddRange(fault.Validate($"Faults[{entries.Count}]."));
            entries.Add(new Entry(fault with { }, fault.Repeat));
        }

        return errors.Count == 0 ? entries : throw new ArgumentException(string.Join(" ", errors), nameof(faults));
    }

    private sealed class Entry(FaultSpec spec, int remaining)
    {
        public FaultSpec Spec { get; } = spec;

        public int Remaining { get; set; } = remaining;
    }
}
