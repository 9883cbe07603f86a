using System.CommandLine;
using System.Text.Json;
using Provisioning.Cli.Output;
using Provisioning.Contracts.V1;

namespace Provisioning.Cli.Commands;

internal static class ProvisionCommand
{
    public static Command Create(GlobalOptions global)
    {
        var wait = new Option<bool>("--wait", "-w") { Description = "Wait for the run to end and report its outcome" };
        var command = new Command("provision", "Start a provisioning run (needs an Authorization:Provision rule for your uid or gid)") { wait };
        command.SetAction((parse, ct) => CommandRunner.RunAsync(parse, global, async context =>
        {
            ProvisionResponse response = await context.Client.ProvisionAsync(parse.GetValue(wait), context.CancellationToken);
            bool failed = response.Completed && response.State.LastError.Length > 0;
            if (context.Json)
            {
                var view = new ProvisionView(response.Completed, StateView.From(response.State));
                await context.Output.WriteLineAsync(JsonSerializer.Serialize(view, CliJsonContext.Default.ProvisionView));
            }
            else if (!response.Completed)
            {
                await context.Output.WriteLineAsync("provisioning started; `provisioningctl watch` shows its progress");
            }
            else
            {
                await context.Output.WriteLineAsync(failed ? "provisioning failed" : "provisioning done");
                await context.Output.WriteAsync(StateText.Render(response.State));
            }

            return failed ? ExitCodes.RunFailed : ExitCodes.Ok;
        }, ct));
        return command;
    }
}
