namespace Provisioning.Daemon.Engine;

internal static partial class EngineLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "State {Sequence}: {Change}, phase {Phase}, status {Status}, {LabelCount} labels")]
    public static partial void Transition(ILogger logger, long sequence, StateChange change, EnginePhase phase, int status, int labelCount);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Provision trigger {Trigger} refused: {Reason}")]
    public static partial void RunRefused(ILogger logger, RunTrigger trigger, string reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Run started by {Trigger} with idempotency key {IdempotencyKey}")]
    public static partial void RunStarted(ILogger logger, RunTrigger trigger, Guid idempotencyKey);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Run {IdempotencyKey} started by {Trigger} ended: provisioned with {LabelCount} labels after {Attempts} attempt(s)")]
    public static partial void RunProvisioned(ILogger logger, Guid idempotencyKey, RunTrigger trigger, int labelCount, int attempts);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Next run by itself ({Trigger}; none means a clock check) at {At:o}")]
    public static partial void Scheduled(ILogger logger, RunTrigger? trigger, DateTimeOffset at);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Warning, Message = "Provisioning is unavailable: {Reason}")]
    public static partial void Unavailable(ILogger logger, string reason);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Attempt {Attempt} failed with status {Status} ({Reason}); next attempt at {NextAttemptAt:o}")]
    public static partial void AttemptFailed(ILogger logger, int attempt, int status, string reason, DateTimeOffset nextAttemptAt);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Error, Message = "The back-office client failed unexpectedly")]
    public static partial void ClientFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Warning, Message = "A state subscriber fell behind at sequence {Sequence} and was dropped")]
    public static partial void SubscriberDropped(ILogger logger, long sequence);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Run {IdempotencyKey} started by {Trigger} ended: {Outcome} after {Attempts} attempt(s), status {Status}: {Reason}")]
    public static partial void RunFailed(ILogger logger, Guid idempotencyKey, RunTrigger trigger, string outcome, int attempts, int status, string reason);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Error, Message = "The engine failed to handle {Command}")]
    public static partial void CommandFailed(ILogger logger, Exception exception, string command);
}
