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

    /// <summary>
    /// Gives back, once, the one <see cref="TryEnter"/> counted for a connection: when <paramref name="closed"/> fires
    /// (its transport closed) or when the hold is disposed (its handling ended), whichever comes first. Kestrel can
    /// abandon a connection it aborted without its handling ever ending (an HTTP/2 caller that resets streams faster
    /// than their answers drain: "application never completed"), and the count must not go with it.
    /// </summary>
    public IDisposable HoldUntilClosed(uint? uid, CancellationToken closed) => new ConnectionHold(this, uid, closed);

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

    private sealed class ConnectionHold : IDisposable
    {
        private readonly SharedLimit _limit;
        private readonly uint? _uid;
        private readonly CancellationTokenRegistration _onClosed;
        private int _released;

        public ConnectionHold(SharedLimit limit, uint? uid, CancellationToken closed)
        {
            _limit = limit;
            _uid = uid;
            _onClosed = closed.UnsafeRegister(static hold => ((ConnectionHold)hold!).Release(), this);
        }

        public void Dispose()
        {
            _onClosed.Dispose();
            Release();
        }

        private void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                _limit.Exit(_uid);
            }
        }
    }
}
