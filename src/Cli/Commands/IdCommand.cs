using System.CommandLine;
using System.Text.Json;
using Provisioning.Cli.Output;

namespace Provisioning.Cli.Commands;

internal static class IdCommand
{
    public static Command Create(GlobalOptions global)
    {
        var command = new Command("id", "Print the device's provision ID");
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse, global, async context =>
        {
            string id = await context.Client.GetIdAsync(context.CancellationToken);
            await context.Output.WriteLineAsync(context.Json ? JsonSerializer.Serialize(new IdView(id), CliJsonContext.Default.IdView) : id);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
