using System.Globalization;
using System.Reflection;

namespace Provisioning.Daemon.Common;

/// <summary>Facts about this build.</summary>
internal static class BuildInfo
{
    /// <summary>A clock earlier than this is not set yet (a box that boots at 1970); expiry is not judged by it.</summary>
    public static DateTimeOffset BuildDate { get; } = ReadBuildDate();

    public static string Version { get; } =
        typeof(BuildInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    private static DateTimeOffset ReadBuildDate()
    {
        string? value = typeof(BuildInfo).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "BuildDate")?.Value;
        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out DateTimeOffset date)
            ? date
            : DateTimeOffset.UnixEpoch;
    }
}
