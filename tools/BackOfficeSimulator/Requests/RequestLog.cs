namespace Provisioning.BackOfficeSimulator;

/// <summary>The bounded log of /v1 requests; the oldest entries go first when it is full. Thread-safe.</summary>
internal sealed class RequestLog
{
    private readonly Lock _lock = new();
    private readonly LinkedList<RecordedRequest> _entries = new();
    private readonly int _capacity;
    private long _sequence;
    private TaskCompletionSource _changed = NewSignal();

    public RequestLog(int capacity)
    {
        _capacity = capacity;
    }

    public IReadOnlyList<RecordedRequest> Snapshot()
    {
        lock (_lock)
        {
            return [.. _entries];
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _entries.Clear();
            SignalLocked();
        }
    }

    /// <summary>Records an arriving request as pending; <see cref="Complete"/> sets how it ended.</summary>
    internal LinkedListNode<RecordedRequest> Begin(Func<long, RecordedRequest> create)
    {
        lock (_lock)
        {
            LinkedListNode<RecordedRequest> node = _entries.AddLast(create(++_sequence));
            if (_entries.Count > _capacity)
            {
                _entries.RemoveFirst();
            }

            SignalLocked();
            return node;
        }
    }

    internal void Complete(LinkedListNode<RecordedRequest> node, Func<RecordedRequest, RecordedRequest> update)
    {
        lock (_lock)
        {
            node.Value = update(node.Value);
            SignalLocked();
        }
    }

    /// <summary>Completes when the log satisfies <paramref name="predicate"/> (checked now and on every change).</summary>
    public async Task<IReadOnlyList<RecordedRequest>> WaitAsync(Func<IReadOnlyList<RecordedRequest>, bool> predicate, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task changed;
            IReadOnlyList<RecordedRequest> snapshot;
            lock (_lock)
            {
                snapshot = [.. _entries];
                changed = _changed.Task;
            }

            if (predicate(snapshot))
            {
                return snapshot;
            }

            await changed.WaitAsync(cancellationToken);
        }
    }

    private void SignalLocked()
    {
        _changed.TrySetResult();
        _changed = NewSignal();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
