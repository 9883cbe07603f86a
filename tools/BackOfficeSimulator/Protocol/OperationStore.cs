using System.Collections.Concurrent;

namespace Provisioning.BackOfficeSimulator;

/// <summary>The 202 operations, bounded: the oldest is forgotten (then polls answer 404) beyond the capacity.</summary>
internal sealed class OperationStore
{
    public const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, Operation> _operations = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();
    private long _next;

    public Operation Create(string deviceId, IReadOnlyList<string>? labels, FaultSpec accepted)
    {
        string id = $"op-{Interlocked.Increment(ref _next)}";
        var operation = new Operation(id, deviceId, labels, accepted.Polls, accepted);
        _operations[id] = operation;
        _order.Enqueue(id);
        while (_order.Count > Capacity && _order.TryDequeue(out string? oldest))
        {
            _operations.TryRemove(oldest, out _);
        }

        return operation;
    }

    public Operation? Find(string id) => _operations.TryGetValue(id, out Operation? operation) ? operation : null;
}
