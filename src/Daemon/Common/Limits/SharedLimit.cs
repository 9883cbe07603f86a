namespace Provisioning.Daemon.Common.Limits;

/// <summary>
/// Caps what local callers may hold of something bounded (a listener's connections, the bridge's event
/// registrations), so that no local caller can exhaust the daemon's memory or file descriptors; and, where the
/// callers' uids are known, the share of one uid, so that one program cannot take it all and lock the others out.
/// Root is not capped by the share (it can stop the daemon anyway), nor is a caller that could not be identified.
/// </summary>
internal sealed class SharedLimit(int max, int maxPerUid = int.MaxValue)
{
    private readonly Dictionary<uint, int> _heldByUid = [];
    private int _count;

    public int Max => max;

    public int MaxPerUid => maxPerUid;

    /// <summary>How many are held.</summary>
    public int Count
    {
        get
        {
            lock (_heldByUid)
            {
                return _count;
            }
        }
    }

    /// <summary>Counts one more held by the caller (null: not known); not counted when refused.</summary>
    public LimitAdmission TryEnter(uint? uid)
    {
        lock (_heldByUid)
        {
            if (_count >= max)
            {
                return LimitAdmission.Full;
            }

            if (uid is { } capped and not 0)
            {
                int held = _heldByUid.GetValueOrDefault(capped);
                if (held >= maxPerUid)
                {
                    return LimitAdmission.UidShareFull;
                }

                _heldByUid[capped] = held + 1;
            }

            _count++;
            return LimitAdmission.Entered;
        }
    }

    /// <summary>Gives back <paramref name="count"/> that <see cref="TryEnter"/> counted for the same caller.</summary>
    public void Exit(uint? uid, int count = 1)
    {
        if (count == 0)
        {
            return;
        }

        lock (_heldByUid)
        {
            _count -= count;
            if (uid is { } capped and not 0 && _heldByUid.TryGetValue(capped, out int held))
            {
                if (held <= count)
                {
                    _heldByUid.Remove(capped);
                }
                else
                {
                    _heldByUid[capped] = held - count;
                }
            }
        }
    }
}
