namespace Provisioning.Daemon.Common.Connections;

/// <summary>
/// Caps the open connections of one listener, so that no local caller can exhaust the daemon's memory or
/// file descriptors by opening connections and leaving them idle.
/// </summary>
internal sealed class ConnectionLimiter(int max)
{
    private int _count;

    public int Max => max;

    /// <summary>Counts a new connection; false (and not counted) when the listener is full.</summary>
    public bool TryEnter()
    {
        if (Interlocked.Increment(ref _count) <= max)
        {
            return true;
        }

        Interlocked.Decrement(ref _count);
        return false;
    }

    public void Exit() => Interlocked.Decrement(ref _count);
}
