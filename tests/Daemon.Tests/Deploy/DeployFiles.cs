using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Deploy;

/// <summary>The repository's deploy/ folder, found from the test binaries, and a reader for unit files.</summary>
internal static class DeployFiles
{
    public static string Directory { get; } = Repository.Combine("deploy");

    public static string Systemd(string name) => Path.Combine(Directory, "systemd", name);

    /// <summary>Every `Key=Value` of a unit file, in order (keys may repeat).</summary>
    public static List<KeyValuePair<string, string>> Settings(string unitFile) =>
    [
        .. File.ReadAllLines(unitFile)
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && line[0] is not ('#' or ';' or '[') && line.Contains('=', StringComparison.Ordinal))
            .Select(line => new KeyValuePair<string, string>(line[..line.IndexOf('=', StringComparison.Ordinal)], line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..])),
    ];

    public static string Setting(string unitFile, string key) => Settings(unitFile).Single(pair => pair.Key == key).Value;

    /// <summary>The variables the shipped service's <c>Environment=</c> lines give the daemon.</summary>
    public static Dictionary<string, string> ServiceEnvironment() =>
        Settings(Systemd("provisioningd.service"))
            .Where(setting => setting.Key == "Environment")
            .SelectMany(setting => setting.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Select(assignment => assignment.Split('=', 2))
            .ToDictionary(pair => pair[0], pair => pair[1]);
}
