namespace Provisioning.Daemon.Common.Logging;

internal static partial class CommonLog
{
    [LoggerMessage(EventId = 5300, Level = LogLevel.Warning, Message = "{Count} more messages of event {EventId} were not logged: callers caused more than {Burst} in {Window}")]
    public static partial void LeftOut(ILogger logger, int count, int eventId, int burst, TimeSpan window);
}
