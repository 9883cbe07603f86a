namespace Provisioning.Daemon.BackOffice;

/// <summary>What a Retry-After on a transient answer does to the next wait ("BackOffice:Retry:RetryAfter").</summary>
internal enum RetryAfterUse
{
    /// <summary>A floor: the wait is the back-off, but never shorter than the Retry-After.</summary>
    Floor,

    /// <summary>
    /// The wait: Retry-After plus a random part of BaseDelay, whatever the back-off has grown to. The back
    /// office that says when to come back is pacing its clients; the back-off applies to failures without one.
    /// </summary>
    Exact,
}
