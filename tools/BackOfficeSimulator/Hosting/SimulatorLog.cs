namespace Provisioning.BackOfficeSimulator;

/// <summary>The simulator's log messages (event ids 9000-9199). Keys and tokens are never logged.</summary>
internal static partial class SimulatorLog
{
    [LoggerMessage(EventId = 9000, Level = LogLevel.Information, Message = "Back-office simulator listening on {BaseAddress}")]
    public static partial void Listening(this ILogger logger, Uri baseAddress);

    [LoggerMessage(EventId = 9001, Level = LogLevel.Information, Message = "Injecting fault {Kind} into {Method} {Path}")]
    public static partial void FaultInjected(this ILogger logger, FaultKind kind, string method, string path);

    [LoggerMessage(EventId = 9002, Level = LogLevel.Information, Message = "{Method} {Path} -> {Answer}")]
    public static partial void Answered(this ILogger logger, string method, string path, string answer);

    [LoggerMessage(EventId = 9003, Level = LogLevel.Information, Message = "Enrolled device {DeviceId} with labels {Labels}")]
    public static partial void DeviceEnrolled(this ILogger logger, string deviceId, string labels);

    [LoggerMessage(EventId = 9004, Level = LogLevel.Information, Message = "Fault plan changed: {Count} entries pending")]
    public static partial void FaultPlanChanged(this ILogger logger, int count);

    [LoggerMessage(EventId = 9005, Level = LogLevel.Information, Message = "Back-office simulator stopped")]
    public static partial void Stopped(this ILogger logger);
}
