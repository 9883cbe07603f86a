namespace Provisioning.Daemon.Systemd;

internal static partial class SystemdLog
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Information, Message = "systemd watchdog enabled: WATCHDOG=1 every {Interval} while the engine loop answers")]
    public static partial void WatchdogEnabled(ILogger logger, TimeSpan interval);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Error, Message = "The engine loop did not answer within {Interval}; withholding WATCHDOG=1 so systemd can restart a hung daemon")]
    public static partial void EngineNotAnswering(ILogger logger, TimeSpan interval);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Warning, Message = "The engine loop answers again; WATCHDOG=1 resumes")]
    public static partial void EngineAnswersAgain(ILogger logger);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "systemd status: {Status}")]
    public static partial void StatusSent(ILogger logger, string status);
}
