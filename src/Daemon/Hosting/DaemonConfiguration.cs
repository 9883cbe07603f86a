using System.Text.Json;
using Provisioning.Daemon.Common.Files;

namespace Provisioning.Daemon.Hosting;

/// <summary>
/// The configuration layers, lowest first: built-in defaults (in the options classes), the JSON file,
/// environment variables, the command line. `--config PATH` (or PROVISIONING_ConfigFile) moves the file.
/// </summary>
internal static class DaemonConfiguration
{
    public const string DefaultConfigFile = "/etc/provisioning/provisioningd.json";
    public const string ConfigFileKey = "ConfigFile";
    private const int MaxConfigFileBytes = 1024 * 1024;

    // Framework chatter stays out of the journal unless asked for; ASP.NET Core's request diagnostics stay off
    // whatever is asked (RequestDiagnostics).
    private static readonly Dictionary<string, string?> Defaults = new(StringComparer.Ordinal)
    {
        ["Logging:LogLevel:Default"] = "Information",
        ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        ["Logging:LogLevel:Polly"] = "Warning",

        // gRPC's Information is per call and a caller's doing: each call it ends (a watch closed by its caller, a
        // reset stream, a refused call) with the exception's stack trace, thousands of lines at a caller's will.
        ["Logging:LogLevel:Grpc"] = "Warning",

        // Kestrel's own warnings are a caller's doing too: a caller that ends its connection in the middle of a
        // request body leaves Kestrel's read of it unfinished, and Kestrel, going on to read the connection, logs
        // "Connection processing ended abnormally" with a stack trace, once per such connection (the bridge itself
        // says nothing: nobody is left to answer). Known upstream (dotnet/aspnetcore#17840). Its errors still show;
        // what is lost is its heartbeat warning (thread-pool starvation), which the watchdog covers.
        ["Logging:LogLevel:Microsoft.AspNetCore.Server.Kestrel"] = "Error",
    };

    private static readonly Dictionary<string, string> SwitchMappings = new(StringComparer.Ordinal)
    {
        ["--config"] = ConfigFileKey,
    };

    public static void Apply(ConfigurationManager configuration, string[] args, IReadOnlyDictionary<string, string?>? overrides)
    {
        configuration.Sources.Clear();
        if (args.Length > 0 && args[^1] == "--config")
        {
            // The command line reader drops a switch without its value; a missing path must not mean "the default file".
            throw new InvalidDataException($"{ConfigFileKey}: {args[^1]} needs a path");
        }

        var locator = new ConfigurationBuilder();
        AddEnvironmentAndCommandLine(locator, args);
        string? given = locator.Build()[ConfigFileKey];
        if (given is { Length: 0 })
        {
            // Said, but empty (--config=, PROVISIONING_ConfigFile=): not a reason to read the default file instead.
            throw new InvalidDataException($"{ConfigFileKey}: the path given is empty");
        }

        string? named = given;
        string configFile = named ?? (OperatingSystem.IsWindows() ? WindowsDefaults.ConfigFile : DefaultConfigFile);

        configuration.AddInMemoryCollection(Defaults);
        if (OperatingSystem.IsWindows())
        {
            configuration.AddInMemoryCollection(WindowsDefaults.Settings);
        }

        AddConfigFile(configuration, Path.GetFullPath(configFile), required: named is not null);
        if (overrides is not null)
        {
            configuration.AddInMemoryCollection(overrides);
        }

        AddEnvironmentAndCommandLine(configuration, args);
    }

    /// <summary>
    /// The JSON file, read once and bounded: a FIFO, a device or a directory is an error, not a hang. The
    /// default file may be absent; a file named with --config must exist.
    /// </summary>
    private static void AddConfigFile(ConfigurationManager configuration, string path, bool required)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            if (required)
            {
                throw new InvalidDataException($"{ConfigFileKey}: {path} does not exist");
            }

            return;
        }

        byte[] json;
        try
        {
            json = BoundedFile.ReadAllBytes(path, MaxConfigFileBytes);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new InvalidDataException($"{ConfigFileKey}: {path} cannot be read: {exception.Message}", exception);
        }

        try
        {
            configuration.AddJsonStream(new MemoryStream(json));
        }
        catch (Exception exception) when (exception is FormatException or JsonException or InvalidDataException)
        {
            throw new InvalidDataException($"{ConfigFileKey}: {path} is not a valid JSON configuration: {exception.Message}", exception);
        }
    }

    private static void AddEnvironmentAndCommandLine(IConfigurationBuilder builder, string[] args)
    {
        // Both spellings the docs use: PROVISIONING_BackOffice__Url and PROVISIONING__BackOffice__Url.
        builder.AddEnvironmentVariables("PROVISIONING__");
        builder.AddEnvironmentVariables("PROVISIONING_");
        builder.AddCommandLine(args, SwitchMappings);
    }
}
