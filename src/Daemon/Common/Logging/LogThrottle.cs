namespace Provisioning.Daemon.Common.Logging;

/// <summary>
/// Bounds a message that callers can cause as often as they like (a refused connection, token, body or method):
/// at most <see cref="Burst"/> lines of it per <see cref="Window"/>. The first line let through after some were left
/// out is preceded by one that counts them (event 5300). A caller's loop then neither floods the log nor uses up
/// journald's rate limit for the service, which would drop the daemon's other messages with it.
/// </summary>
internal sealed class LogThrottle(int eventId, TimeProvider? time = null)
{
    public const int Burst = 10;

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Lock _lock = new();
    private long _windowStart;
    private bool _windowOpen;
    private int _loggedInWindow;
    private int _leftOut;

    /// <summary>Whether to log this occurrence; when it is, first logs how many were left out before it.</summary>
    public bool Admit(ILogger logger)
    {
        int leftOut;
        lock (_lock)
        {
            long now = _time.GetTimestamp();
            if (!_windowOpen || _time.GetElapsedTime(_windowStart, now) >= Window)
            {
                _windowStart = now;
                _windowOpen = true;
                _loggedInWindow = 0;
            }

            if (_loggedInWindow >= Burst)
            {
                _leftOut++;
                return false;
            }

            _loggedInWindow++;
            leftOut = _leftOut;
            _leftOut = 0;
        }

        if (leftOut > 0)
        {
            CommonLog.LeftOut(logger, leftOut, eventId, Burst, Window);
        }

        return true;
    }
}
