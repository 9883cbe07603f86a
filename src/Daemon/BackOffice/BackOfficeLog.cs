namespace Provisioning.Daemon.BackOffice;

/// <summary>
/// The back-office client's log events (1400-1599): what happens on the wire. Runs and attempts are logged
/// by the engine (EngineLog), once. Never a key, a token or a certificate's private part.
/// </summary>
internal static partial class BackOfficeLog
{
    [LoggerMessage(EventId = 1401, Level = LogLevel.Debug, Message = "Attempt {Attempt}: {Method} {Path}")]
    public static partial void Sending(this ILogger logger, int attempt, string method, string path);

    [LoggerMessage(EventId = 1403, Level = LogLevel.Information, Message = "Attempt {Attempt} accepted as operation {Operation}; polling in {Delay}")]
    public static partial void Accepted(this ILogger logger, int attempt, string operation, TimeSpan delay);

    [LoggerMessage(EventId = 1407, Level = LogLevel.Warning, Message = "Back-office circuit opened for {BreakDuration}")]
    public static partial void CircuitOpened(this ILogger logger, TimeSpan breakDuration);

    [LoggerMessage(EventId = 1408, Level = LogLevel.Information, Message = "Back-office circuit half-open: the next attempt probes")]
    public static partial void CircuitHalfOpened(this ILogger logger);

    [LoggerMessage(EventId = 1409, Level = LogLevel.Information, Message = "Back-office circuit closed")]
    public static partial void CircuitClosed(this ILogger logger);

    [LoggerMessage(EventId = 1410, Level = LogLevel.Error, Message = "BackOffice:TokenFile {Path} is unusable: {Reason}")]
    public static partial void TokenFileUnusable(this ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 1411, Level = LogLevel.Error, Message = "Provisioning run {IdempotencyKey} stopped on an unexpected error")]
    public static partial void UnexpectedError(this ILogger logger, Exception exception, Guid idempotencyKey);

}
