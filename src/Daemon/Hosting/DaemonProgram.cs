using Microsoft.Extensions.Options;
using Provisioning.Daemon.Memory;
using Provisioning.Daemon.Systemd;

namespace Provisioning.Daemon.Hosting;

/// <summary>The process: run the host, and turn a bad configuration into a message and a non-zero exit.</summary>
internal static class DaemonProgram
{
    public const int ExitOk = 0;
    public const int ExitFailure = 1;
    public const int ExitBadConfiguration = 78; // EX_CONFIG: systemd's Restart=on-failure does not help here.

    public static Task<int> RunAsync(string[] args) => ExitCodeOfAsync(async () =>
    {
        await using WebApplication app = DaemonHost.Build(DaemonHost.CreateBuilder(args));
        await app.RunAsync();
        return ExitOk;
    });

    /// <summary>Runs a host (this one, or the development host's) and turns what it throws into a message and an exit code.</summary>
    public static async Task<int> ExitCodeOfAsync(Func<Task<int>> run)
    {
        OutOfMemoryExit.Install();
        try
        {
            return await run();
        }
        catch (OperationCanceledException)
        {
            // SIGTERM arrived while the host was starting: a clean stop, nothing was half-done.
            return ExitOk;
        }
        catch (Exception exception) when (ValidationFailures(exception) is { Count: > 0 } failures)
        {
            await ErrorAsync("provisioningd: invalid configuration:");
            foreach (string failure in failures)
            {
                await ErrorAsync("  " + failure);
            }

            return ExitBadConfiguration;
        }
        catch (Exception exception) when (exception is InvalidDataException or FormatException or InvalidOperationException or IOException)
        {
            await ErrorAsync("provisioningd: cannot start: " + exception.Message);
            return exception is InvalidDataException or FormatException ? ExitBadConfiguration : ExitFailure;
        }
    }

    /// <summary>
    /// One line on stderr; under systemd with the `&lt;3&gt;` prefix, so the journal records it at priority 3 (err)
    /// like the logger's errors, not at the stream's default 6 (info).
    /// </summary>
    private static Task ErrorAsync(string line) =>
        Console.Error.WriteLineAsync(SystemdEnvironment.Current.IsService ? "<3>" + line.ReplaceLineEndings("\n<3>") : line);

    /// <summary>Every options failure, whether the host reports one section or several at once.</summary>
    private static List<string> ValidationFailures(Exception exception) => exception switch
    {
        OptionsValidationException single => [.. single.Failures],
        AggregateException many => [.. many.Flatten().InnerExceptions.OfType<OptionsValidationException>().SelectMany(e => e.Failures)],
        _ => [],
    };
}
