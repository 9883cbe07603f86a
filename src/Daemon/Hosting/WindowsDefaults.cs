namespace Provisioning.Daemon.Hosting;

/// <summary>
/// Where the daemon keeps its files when it runs on Windows (as a service under the SCM): everything under
/// %ProgramData%\provisioningd, instead of the Linux paths in the options classes. Settings still override.
/// </summary>
internal static class WindowsDefaults
{
    public static string Folder { get; } = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.CommonApplicationData), "provisioningd");

    public static string ConfigFile => Path.Combine(Folder, "provisioningd.json");

    /// <summary>The Linux defaults moved under %ProgramData%; the identity file is written at install (README "Windows").</summary>
    public static IEnumerable<KeyValuePair<string, string?>> Settings =>
    [
        new("State:Directory", Path.Combine(Folder, "state")),
        new("Grpc:SocketPath", Path.Combine(Folder, "provisioning.sock")),
        new("Device:IdFile", Path.Combine(Folder, "machine-id")),
    ];
}
