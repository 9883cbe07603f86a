namespace Provisioning.Daemon.Engine;

/// <summary>Why a state snapshot was published.</summary>
internal enum StateChange
{
    /// <summary>The current state, sent first to every new subscriber.</summary>
    Current,

    /// <summary>The stored state was restored at start.</summary>
    Restored,

    /// <summary>A run started.</summary>
    RunStarted,

    /// <summary>An attempt (the first or a retry) was sent.</summary>
    AttemptStarted,

    /// <summary>The back office answered 202; the run polls its operation.</summary>
    Accepted,

    /// <summary>An attempt failed transiently; the next one is scheduled.</summary>
    AttemptFailed,

    /// <summary>A run ended (success or failure), published even when nothing changed.</summary>
    RunEnded,

    /// <summary>A label's chosen key slot changed.</summary>
    IndexChanged,

    /// <summary>A run was scheduled (boot delay, refresh, retry after a run gave up).</summary>
    Scheduled,
}
