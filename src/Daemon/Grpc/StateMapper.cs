using Google.Protobuf.WellKnownTypes;
using Provisioning.Contracts.V1;
using StateMessage = Provisioning.Contracts.V1.State;
using Provisioning.Daemon.Engine;

namespace Provisioning.Daemon.Grpc;

/// <summary>Translates engine snapshots to the wire message.</summary>
internal static class StateMapper
{
    /// <param name="state">The engine's state.</param>
    /// <param name="asCurrent">Sent as the state now (<see cref="Change.Current"/>), not as the change that made it.</param>
    public static StateMessage ToMessage(EngineState state, bool asCurrent = false)
    {
        var message = new StateMessage
        {
            Sequence = state.Sequence,
            Change = asCurrent ? Change.Current : ToMessage(state.Change),
            Id = state.Id,
            Status = state.Status,
            Phase = ToMessage(state.Phase),
            Attempts = state.Attempts,
            LastError = state.LastError ?? string.Empty,
            // A snapshot as it is now (GetState, a watch's first message) is no change, let alone an announced one.
            ProvisioningChange = !asCurrent && state.IsAnnounced,
        };
        if (!state.Labels.IsDefaultOrEmpty)
        {
            message.Tokens.Add(state.Labels);
        }

        message.Indexes.Add(state.Indexes);
        message.NextAttemptAt = ToTimestamp(state.NextAttemptAt);
        message.Issued = ToTimestamp(state.Issued);
        message.Expires = ToTimestamp(state.Expires);
        return message;
    }

    private static Timestamp? ToTimestamp(DateTimeOffset? value) =>
        value is { } v ? Timestamp.FromDateTimeOffset(v) : null;

    private static Change ToMessage(StateChange change) => change switch
    {
        StateChange.Current => Change.Current,
        StateChange.Restored => Change.Restored,
        StateChange.RunStarted => Change.RunStarted,
        StateChange.AttemptStarted => Change.AttemptStarted,
        StateChange.Accepted => Change.Accepted,
        StateChange.AttemptFailed => Change.AttemptFailed,
        StateChange.RunEnded => Change.RunEnded,
        StateChange.IndexChanged => Change.IndexChanged,
        StateChange.Scheduled => Change.Scheduled,
        _ => Change.Unspecified,
    };

    private static Phase ToMessage(EnginePhase phase) => phase switch
    {
        EnginePhase.Starting => Phase.Starting,
        EnginePhase.Unavailable => Phase.Unavailable,
        EnginePhase.Idle => Phase.Idle,
        EnginePhase.BootDelay => Phase.BootDelay,
        EnginePhase.Running => Phase.Running,
        EnginePhase.Polling => Phase.Polling,
        EnginePhase.RetryWait => Phase.RetryWait,
        _ => Phase.Unspecified,
    };
}
