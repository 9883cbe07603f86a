namespace Provisioning.Daemon.Hosting;

/// <summary>The host's log events (5000-5099).</summary>
internal static partial class HostingLog
{
    [LoggerMessage(EventId = 5000, Level = LogLevel.Warning, Message = "Configuration key {Key} is not a setting of provisioningd and is ignored; did you mean {Nearest}?")]
    public static partial void UnknownSettingNear(ILogger logger, string key, string nearest);

    [LoggerMessage(EventId = 5001, Level = LogLevel.Warning, Message = "Configuration key {Key} is not a setting of provisioningd and is ignored (see docs/configuration.md)")]
    public static partial void UnknownSetting(ILogger logger, string key);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "GC heap limit {LimitMiB} MiB ({Variable})")]
    public static partial void GcHeapLimitInEffect(ILogger logger, string variable, double limitMiB);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "{Variable}={Value} is not in effect (the GC's limit is {EffectiveMiB} MiB): write the limit as hexadecimal digits without 0x, e.g. 1000000 for 16 MiB")]
    public static partial void GcHeapLimitNotInEffect(ILogger logger, string variable, string value, double effectiveMiB);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Debug, Message = "Memory trimmed: GC heap {HeapKiB} KiB; {ReleasedKiB} KiB of mapped code pages released")]
    public static partial void MemoryTrimmed(ILogger logger, long heapKiB, long releasedKiB);
}
