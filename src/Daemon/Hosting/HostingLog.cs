namespace Provisioning.Daemon.Hosting;

/// <summary>The host's log events (5000-5001, 5200-5299).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Warning, Message = "Configuration key {Key} is not a setting of provisioningd and is ignored; did you mean {Nearest}?")]
    public static partial void UnknownSettingNear(ILogger logger, string key, string nearest);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Configuration key {Key} is not a setting of provisioningd and is ignored (see docs/configuration.md)")]
    public static partial void UnknownSetting(ILogger logger, string key);

    [LoggerMessage(EventId = 5200, Level = LogLevel.Information, Message = "provisioningd {Version} starting ({Build})")]
    public static partial void Starting(ILogger logger, string version, string build);
}
