using Provisioning.Contracts.V1;

namespace Provisioning.Cli.Output;

/// <summary>Short lower-case names of the wire enums, for people and scripts.</summary>
internal static class Names
{
    public static string Of(Phase phase) => phase switch
    {
        Phase.Starting => "starting",
        Phase.Unavailable => "unavailable",
        Phase.Idle => "idle",
        Phase.BootDelay => "boot-delay",
        Phase.Running => "running",
        Phase.Polling => "polling",
        Phase.RetryWait => "retry-wait",
        _ => "unknown",
    };

    public static string Of(Change change) => change switch
    {
        Change.Current => "current",
        Change.Restored => "restored",
        Change.RunStarted => "run-started",
        Change.AttemptStarted => "attempt-started",
        Change.Accepted => "accepted",
        Change.AttemptFailed => "attempt-failed",
        Change.RunEnded => "run-ended",
        Change.IndexChanged => "index-changed",
        Change.Scheduled => "scheduled",
        _ => "unknown",
    };
}
