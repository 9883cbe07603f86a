using System.CommandLine;
using System.Text.Json;
using Provisioning.Cli.Output;

namespace Provisioning.Cli.Commands;

internal static class IndexCommand
{
    public static Command Create(GlobalOptions global)
    {
        var label = new Argument<string>("LABEL") { Description = "The label whose key slot to choose" };
        var index = new Argument<int>("N") { Description = "The 0-based key slot" };
        var command = new Command("index", "Choose the key slot of a label (needs an Authorization:Provision rule for your uid or gid)")
        {
            label,
            index,
        };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse, global, async context =>
        {
            string chosenLabel = parse.GetRequiredValue(label);
            int slot = parse.GetValue(index);
            await context.Client.SetIndexAsync(chosenLabel, slot, context.CancellationToken);
            await context.Output.WriteLineAsync(context.Json
                ? JsonSerializer.Serialize(new IndexView(chosenLabel, slot), CliJsonContext.Default.IndexView)
                : $"{chosenLabel}: slot {slot}");

            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
