using System.Collections.Concurrent;

namespace Provisioning.BackOfficeSimulator;

/// <summary>
/// Remembers what each Idempotency-Key was first used for, so that reusing a key for a different
/// request answers 409 (the protocol's conflict). Bounded: the oldest keys are forgotten first.
/// </summary>
internal sealed class IdempotencyStore
{
    public const int Capacity = 100_000;

    private readonly ConcurrentDictionary<string, string> _fingerprints = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    /// <summary>False when the key was already used with another fingerprint.</summary>
    public bool TryUse(string key, string fingerprint)
    {
        string stored = _fingerprints.GetOrAdd(key, static (k, state) =>
        {
            state.Order.Enqueue(k);
            return state.Fingerprint;
        }, (Order: _order, Fingerprint: fingerprint));

        while (_order.Count > Capacity && _order.TryDequeue(out string? oldest))
        {
            _fingerprints.TryRemove(oldest, out _);
        }

        return string.Equals(stored, fingerprint, StringComparison.Ordinal);
    }
}
