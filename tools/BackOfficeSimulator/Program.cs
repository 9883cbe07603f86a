using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace Provisioning.BackOfficeSimulator;

/// <summary>
/// Runs the simulator on its own: configuration from simulator.json (current directory), environment
/// variables, then the command line (--urls, --faults file.json, --Simulator:Key=value).
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        ConfigurationManager configuration = new();
        configuration.AddJsonFile(Path.Combine(Directory.GetCurrentDirectory(), "simulator.json"), optional: true);
        configuration.AddEnvironmentVariables();
        configuration.AddCommandLine(args);

        using ILoggerFactory loggerFactory = LoggerFactory.Create(logging => logging.AddSimpleConsole(console =>
        {
            console.SingleLine = true;
            console.TimestampFormat = "HH:mm:ss ";
        }));

        SimulatorOptions options = SimulatorOptions.FromConfiguration(configuration);
        options.Url = configuration["urls"] ?? configuration[$"{SimulatorOptions.SectionName}:Url"] ?? "http://127.0.0.1:8080";
        options.LoggerFactory = loggerFactory;

        try
        {
            if (configuration["faults"] is { Length: > 0 } faultsFile)
            {
                using FileStream stream = File.OpenRead(faultsFile);
                options.Faults = await JsonSerializer.DeserializeAsync(stream, SimulatorJson.Context.ListFaultSpec) ?? [];
            }

            await using SimulatorServer server = await SimulatorServer.StartAsync(options);
            var stopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
            using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
            await Console.Out.WriteLineAsync($"Back-office simulator on {server.BaseAddress} (admin: {server.BaseAddress}admin/faults, admin/requests, admin/devices). Ctrl+C stops it.");
            await stopped.Task;
            return 0;

            void Stop(PosixSignalContext context)
            {
                context.Cancel = true;
                stopped.TrySetResult();
            }
        }
        catch (Exception ex) when (ex is OptionsValidationException or JsonException or IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"backoffice-simulator: {ex.Message}");
            return 2;
        }
    }
}
