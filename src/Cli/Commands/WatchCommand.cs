using System.CommandLine;
using System.Text.Json;
using Provisioning.Cli.Output;
using Provisioning.Contracts.V1;

namespace Provisioning.Cli.Commands;

internal static class WatchCommand
{
    public static Command Create(GlobalOptions global)
    {
        var count = new Option<int?>("--count", "-n") { Description = "Stop after this many states (the current one included)", HelpName = "N" };
        var command = new Command("watch", "Print the current state, then every change, until interrupted (reconnects when the daemon restarts)")
        {
            count,
        };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse, global, async context =>
        {
            int? remaining = parse.GetValue(count);
            if (remaining is <= 0)
            {
                return ExitCodes.Ok;
            }

            // WatchAsync rides out daemon restarts; a daemon that is not there at all is reported at once.
            _ = await context.Client.GetIdAsync(context.CancellationToken);
            await foreach (State state in context.Client.WatchAsync(context.CancellationToken))
            {
                await context.Output.WriteLineAsync(context.Json
                    ? JsonSerializer.Serialize(StateView.From(state), CliJsonContext.Default.StateView)
                    : StateText.RenderChange(state));
                await context.Output.FlushAsync(context.CancellationToken);
                if (--remaining == 0)
                {
                    break;
                }
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
