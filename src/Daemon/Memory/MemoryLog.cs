namespace Provisioning.Daemon.Memory;

/// <summary>The memory upkeep's log events (5002-5099).</summary>
internal static partial class MemoryLog
{
    [LoggerMessage(EventId = 5002, Level = LogLevel.Information, Message = "GC heap limit {LimitMiB} MiB ({Variable})")]
    public static partial void GcHeapLimitInEffect(ILogger logger, string variable, double limitMiB);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Warning, Message = "{Variable}={Value} is not in effect (the GC's limit is {EffectiveMiB} MiB): write the limit as hexadecimal digits without 0x, e.g. 1000000 for 16 MiB")]
    public static partial void GcHeapLimitNotInEffect(ILogger logger, string variable, string value, double effectiveMiB);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Debug, Message = "Memory trimmed: GC heap {HeapKiB} KiB; {ReleasedKiB} KiB of mapped code pages released")]
    public static partial void MemoryTrimmed(ILogger logger, long heapKiB, long releasedKiB);
}
