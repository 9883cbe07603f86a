using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;

namespace Provisioning.Daemon.Common;

/// <summary>Facts about this build.</summary>
internal static class BuildInfo
{
    /// <summary>A clock earlier than this is not set yet (a box that boots at 1970); expiry is not judged by it.</summary>
    public static DateTimeOffset BuildDate { get; } = ReadBuildDate();

    public static string Version { get; } =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>
    /// Which build runs, for the start line: "Native AOT, build ID …", the key to the symbol file that turns its
    /// stack traces' addresses back into methods (README, "Stack traces from a device"), or "JIT".
    /// </summary>
    public static string Describe() => RuntimeFeature.IsDynamicCodeSupported
        ? "JIT"
        : $"Native AOT, build ID {(Environment.ProcessPath is { } path ? ElfBuildId.Read(path) : null) ?? "unknown"}";

    private static DateTimeOffset ReadBuildDate()
    {
        string? value = typeof(BuildInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "BuildDate")?.Value;
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset date)
            ? date
            : DateTimeOffset.UnixEpoch;
    }
}
