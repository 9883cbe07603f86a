namespace Provisioning.Daemon.Engine;

/// <summary>What the engine is doing now. Whether it holds a provisioning is <see cref="EngineState.Labels"/>.</summary>
internal enum EnginePhase
{
    /// <summary>The stored state is not restored yet.</summary>
    Starting,

    /// <summary>No usable back-office client (not configured, identity unreadable, store unusable).</summary>
    Unavailable,

    /// <summary>No run in progress and none due soon (provisioned, or the last run ended).</summary>
    Idle,

    /// <summary>Waiting for the random boot delay before the first run.</summary>
    BootDelay,

    /// <summary>An attempt is in flight.</summary>
    Running,

    /// <summary>The back office accepted the request (202); waiting to poll the operation.</summary>
    Polling,

    /// <summary>Waiting for the next attempt after a transient failure.</summary>
    RetryWait,
}
