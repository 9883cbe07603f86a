using System.CommandLine;
using System.Text.Json;
using Provisioning.Cli.Output;
using Provisioning.Contracts.V1;

namespace Provisioning.Cli.Commands;

internal static class StatusCommand
{
    public static Command Create(GlobalOptions global)
    {
        var command = new Command("status", "Show the daemon's state: ID, status, labels, phase, attempts, expiry, chosen slots");
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse, global, async context =>
        {
            State state = await context.Client.GetStateAsync(context.CancellationToken);
            await context.Output.WriteAsync(context.Json
                ? JsonSerializer.Serialize(StateView.From(state), CliJsonContext.Default.StateView) + "\n"
                : StateText.Render(state));
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
