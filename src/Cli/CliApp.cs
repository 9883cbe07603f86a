using System.CommandLine;
using Provisioning.Cli.Commands;

namespace Provisioning.Cli;

/// <summary>provisioningctl's command tree.</summary>
internal static class CliApp
{
    public static RootCommand CreateRootCommand()
    {
        var global = new GlobalOptions();
        var root = new RootCommand(
            "provisioningctl: query and control provisioningd over its Unix socket.\n\n"
            + "Examples:\n"
            + "  provisioningctl status\n"
            + "  provisioningctl provision --wait\n"
            + "  provisioningctl index netflix 1\n"
            + "  provisioningctl watch --json\n"
            + "  provisioningctl key netflix --out /run/app/netflix.key\n\n"
            + "The socket is --socket, else $PROVISIONING_SOCKET, else /run/provisioning/provisioning.sock.\n"
            + "Shell completion: install dotnet-suggest and register provisioningctl with it.\n\n"
            + ExitCodes.HelpText)
        {
            global.Socket,
            global.Json,
            StatusCommand.Create(global),
            IdCommand.Create(global),
            ProvisionCommand.Create(global),
            IndexCommand.Create(global),
            WatchCommand.Create(global),
            KeyCommand.Create(global),
        };
        return root;
    }
}
