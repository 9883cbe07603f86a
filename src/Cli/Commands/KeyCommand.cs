using System.CommandLine;
using System.Text.Json;
using Provisioning.Cli.Output;
using Provisioning.Contracts.V1;

namespace Provisioning.Cli.Commands;

internal static class KeyCommand
{
    public static Command Create(GlobalOptions global)
    {
        var label = new Argument<string>("LABEL") { Description = "The label whose chosen key to read" };
        var output = new Option<string>("--out", "-o")
        {
            Description = "The file to write the key to (mode 0600, replaced atomically); '-' is standard output when it is not a terminal",
            HelpName = "FILE",
            Required = true,
        };
        var command = new Command("key", "Write the key of a label's chosen slot to a file (needs an Authorization:Keys rule for your uid or gid)")
        {
            label,
            output,
        };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse, global, async context =>
        {
            string path = parse.GetRequiredValue(output);
            if (KeyFile.Refusal(path) is { } refusal)
            {
                await context.Error.WriteLineAsync("provisioningctl: " + refusal);
                return ExitCodes.Failed;
            }

            GetKeyResponse key = await context.Client.GetKeyAsync(parse.GetRequiredValue(label), context.CancellationToken);
            await KeyFile.WriteAsync(path, key.Key.Memory, context.CancellationToken);
            string where = path == KeyFile.StandardOutput ? "standard output" : path;
            if (context.Json && path != KeyFile.StandardOutput)
            {
                var view = new KeyView(key.Label, key.Slot, key.Key.Length, Path.GetFullPath(path));
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(view, CliJsonContext.Default.KeyView));
            }
            else
            {
                await context.Error.WriteLineAsync($"wrote the {key.Key.Length}-byte key of {key.Label} slot {key.Slot} to {where}");
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
