using System.Globalization;

namespace Provisioning.Daemon.Memory;

/// <summary>
/// The GC heap limit the unit sets (<c>DOTNET_GCHeapHardLimit</c>, README "Memory"), checked at start: the
/// Native AOT runtime reads the value as hexadecimal digits and silently ignores one it cannot read, such as
/// "0x1000000" (which the JIT runtime accepts), so a limit that looks set may not be in effect.
/// </summary>
internal static class GcHeapLimit
{
    public const string Variable = "DOTNET_GCHeapHardLimit";

    /// <summary>Logs the limit in effect, or warns when the variable is set and the GC does not apply it.</summary>
    public static void Check(ILogger logger)
    {
        if (Environment.GetEnvironmentVariable(Variable) is not { Length: > 0 } value)
        {
            return;
        }

        long effective = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        double effectiveMiB = Math.Round(effective / (1024.0 * 1024.0), 1);
        if (Requested(value) is { } requested && requested == effective)
        {
            MemoryLog.GcHeapLimitInEffect(logger, Variable, effectiveMiB);
        }
        else
        {
            MemoryLog.GcHeapLimitNotInEffect(logger, Variable, value, effectiveMiB);
        }
    }

    /// <summary>The bytes a value asks for, read as the JIT runtime reads it (hexadecimal, "0x" allowed); null when it is no number.</summary>
    public static long? Requested(string value)
    {
        string digits = value.Trim();
        if (digits.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            digits = digits[2..];
        }

        return long.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out long bytes) && bytes > 0 ? bytes : null;
    }
}
