namespace Provisioning.Daemon.BackOffice;

/// <summary>How the wait after a failed attempt is drawn ("BackOffice:Retry:Jitter").</summary>
internal enum RetryJitter
{
    /// <summary>A random 50-100 % of the nominal delay (base × 2^(n-1), capped): spread out, yet each wait grows.</summary>
    Equal,

    /// <summary>A random 0-100 % of the nominal delay: the widest spread, but a wait may be next to nothing.</summary>
    Full,

    /// <summary>Random between the base delay and three times the previous wait, capped: no fixed schedule at all.</summary>
    Decorrelated,
}
