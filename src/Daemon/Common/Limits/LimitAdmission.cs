namespace Provisioning.Daemon.Common.Connections;

/// <summary>What <see cref="ConnectionLimiter.TryEnter"/> decided for a new connection.</summary>
internal enum ConnectionAdmission
{
    Entered,

    /// <summary>The listener has its maximum of connections open.</summary>
    ListenerFull,

    /// <summary>The caller's uid has its share of the listener's connections open.</summary>
    UidShareFull,
}
