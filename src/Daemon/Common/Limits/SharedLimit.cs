namespace Provisioning.Daemon.Common.Connections;

/// <summary>
/// Caps the open connections of one listener, so that no local caller can exhaust the daemon's memory or
/// file descriptors by opening connections and leaving them idle; and, where the listener knows its callers' uids,
/// the share of one uid, so that one program cannot take them all and lock the others out. Root is not capped by
/// the share (it can stop the daemon anyway).
/// </summary>
internal sealed class ConnectionLimiter(int max, int maxPerUid = int.MaxValue)
{
    private readonly Dictionary<uint, int> _heldByUid = [];
    private int _count;

    public int Max => max;

    public int MaxPerUid => maxPerUid;

    /// <summary>Counts a new connection of the caller (null: not known); not counted when refused.</summary>
    public ConnectionAdmission TryEnter(uint? uid)
    {
        lock (_heldByUid)
        {
            if (_count >= max)
            {
                return ConnectionAdmission.ListenerFull;
            }

            if (uid is { } capped and not 0)
            {
                int held = _heldByUid.GetValueOrDefault(capped);
                if (held >= maxPerUid)
                {
                    return ConnectionAdmission.UidShareFull;
                }

                _heldByUid[capped] = held + 1;
            }

            _count++;
            return ConnectionAdmission.Entered;
        }
    }

    /// <summary>Ends a connection that <see cref="TryEnter"/> counted, with the same caller.</summary>
    public void Exit(uint? uid)
    {
        lock (_heldByUid)
        {
            _count--;
            if (uid is { } capped and not 0 && _heldByUid.TryGetValue(capped, out int held))
            {
                if (held == 1)
                {
                    _heldByUid.Remove(capped);
                }
                else
                {
                    _heldByUid[capped] = held - 1;
                }
            }
        }
    }
}
