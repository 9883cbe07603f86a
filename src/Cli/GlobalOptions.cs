using System.CommandLine;
using Provisioning.Client;

namespace Provisioning.Cli;

/// <summary>The options every command takes.</summary>
internal sealed class GlobalOptions
{
    public Option<string> Socket { get; } = new("--socket", "-s")
    {
        Description = "The daemon's Unix socket",
        HelpName = "PATH",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("PROVISIONING_SOCKET") is { Length: > 0 } path
            ? path
            : ProvisioningClientOptions.DefaultSocketPath,
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Machine-readable output: one JSON object per line",
        Recursive = true,
    };
}
