using System.CommandLine;
using Provisioning.Client;

namespace Provisioning.Cli;

/// <summary>Runs one command against the daemon and turns the client's exceptions into exit codes and messages.</summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(
        ParseResult parse,
        GlobalOptions global,
        Func<CommandContext, Task<int>> body,
        CancellationToken cancellationToken)
    {
        var context = new CommandContext(
            parse.InvocationConfiguration.Output,
            parse.InvocationConfiguration.Error,
            parse.GetValue(global.Json),
            parse.GetRequiredValue(global.Socket),
            cancellationToken);
        try
        {
            return await body(context);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            await context.Error.WriteLineAsync($"provisioningctl: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (ProvisioningException e)
        {
            await context.Error.WriteLineAsync(Describe(e));
            return e switch
            {
                ProvisioningInProgressException => ExitCodes.InProgress,
                ProvisioningUnavailableException => ExitCodes.Unavailable,
                ProvisioningPermissionDeniedException => ExitCodes.PermissionDenied,
                DaemonUnreachableException => ExitCodes.Unreachable,
                _ => ExitCodes.Failed,
            };
        }
        finally
        {
            context.Dispose();
        }
    }

    private static string Describe(ProvisioningException e)
    {
        string reason = e.Reason is null ? string.Empty : $" ({e.Reason}{(e.Field is null ? string.Empty : ", field " + e.Field)})";
        return e switch
        {
            DaemonUnreachableException => $"provisioningctl: {e.Message}",
            ProvisioningPermissionDeniedException => $"provisioningctl: permission denied: {e.Message}",
            _ => $"provisioningctl: {e.Message}{reason}",
        };
    }
}
