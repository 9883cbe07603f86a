namespace Provisioning.Daemon.Hosting;

/// <summary>
/// The configuration layers, lowest first: built-in defaults (in the options classes), the JSON file,
/// environment variables, the command line. `--config PATH` (or PROVISIONING_ConfigFile) moves the file.
/// </summary>
internal static class DaemonConfiguration
{
    public const string DefaultConfigFile = "/etc/provisioning/provisioningd.json";
    public const string ConfigFileKey = "ConfigFile";

    // Framework chatter (one line per HTTP request) stays out of the journal unless asked for.
    private static readonly Dictionary<string, string?> Defaults = new(StringComparer.Ordinal)
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:System.Net.Http.HttpClient"] = "Warning",
        ["Logging:LogLevel:Polly"] = "Warning",
    };

    private static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.Ordinal)
    {
        ["--config"] = ConfigFileKey,
    };

    public static void Apply(ConfigurationManager configuration, string[] args, IReadOnlyDictionary<string, string?>? overrides)
    {
        configuration.Sources.Clear();
        var locator = new ConfigurationBuilder();
        AddEnvironmentAndCommandLine(locator, args);
        string configFile = locator.Build()[ConfigFileKey] is { Length: > 0 } path ? path
            : OperatingSystem.IsWindows() ? WindowsDefaults.ConfigFile
            : DefaultConfigFile;

        configuration.AddInMemoryCollection(Defaults);
        if (OperatingSystem.IsWindows())
        {
            configuration.AddInMemoryCollection(WindowsDefaults.Settings);
        }

        configuration.AddJsonFile(Path.GetFullPath(configFile), optional: true, reloadOnChange: false);
        if (overrides is not null)
        {
            configuration.AddInMemoryCollection(overrides);
        }

        AddEnvironmentAndCommandLine(configuration, args);
    }

    private static void AddEnvironmentAndCommandLine(IConfigurationBuilder builder, string[] args)
    {
        // Both spellings the docs use: PROVISIONING_BackOffice__Url and PROVISIONING__BackOffice__Url.
        builder.AddEnvironmentVariables("PROVISIONING__");
        builder.AddEnvironmentVariables("PROVISIONING_");
        builder.AddCommandLine(args, SwitchMappings);
    }
}
