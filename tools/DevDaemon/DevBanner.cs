using Provisioning.Daemon.Engine;

namespace Provisioning.Daemon.Dev;

/// <summary>What provisioningd-dev prints for a newcomer: where things are, what happened, what to type next.</summary>
internal static class DevBanner
{
    /// <param name="jsonRpc">The bridge's bound address (e.g. http://127.0.0.1:9998), or null when it is disabled.</param>
    public static void PrintStarted(DevPaths paths, Uri simulator, Uri? jsonRpc)
    {
        Console.WriteLine();
        Console.WriteLine("provisioningd-dev (development host: the daemon with the back-office simulator in-process)");
        Console.WriteLine($"  state      {paths.StateDirectory}");
        Console.WriteLine($"  gRPC       unix:{paths.SocketPath}");
        Console.WriteLine($"  JSON-RPC   {(jsonRpc is null ? "disabled" : $"{jsonRpc}jsonrpc")}");
        Console.WriteLine($"  back office (simulator) {simulator}");
        Console.WriteLine();
    }

    public static void PrintSettled(EngineState state, TimeSpan elapsed, DevPaths paths, Uri simulator, Uri? jsonRpc)
    {
        string outcome = state.IsProvisioned
            ? $"provisioned {state.Id}: status {state.Status}, labels {string.Join(", ", state.Labels)}"
            : $"not provisioned {state.Id}: status {state.Status}, {state.LastError}";
        Console.WriteLine($"{outcome} ({elapsed.TotalSeconds:0.00} s after start)");
        Console.WriteLine();
        string provisioningctl = ProvisioningctlCommand();
        Console.WriteLine("Try next (in another terminal):");
        Console.WriteLine($"  {provisioningctl} --socket {paths.SocketPath} status");
        Console.WriteLine($"  {provisioningctl} --socket {paths.SocketPath} watch");
        Console.WriteLine($"  {provisioningctl} --socket {paths.SocketPath} provision --wait");
        if (jsonRpc is not null)
        {
            Console.WriteLine($"  curl -s -d '{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"Provisioning.1.state\"}}' {jsonRpc}jsonrpc");
            Console.WriteLine($"  curl -s -d '{{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"Provisioning.1.provision\"}}' {jsonRpc}jsonrpc");
            Console.WriteLine($"  websocat --protocol notification ws://{jsonRpc.Authority}/jsonrpc");
            Console.WriteLine("     then send {\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"Provisioning.1.register\",\"params\":{\"event\":\"provisioningchange\",\"id\":\"client.events.1\"}}");
        }

        Console.WriteLine("Make the back office fail, then provision again and watch the retries:");
        Console.WriteLine($"  curl -s -X POST {simulator}admin/faults -H 'Content-Type: application/json' -d '[{{\"kind\":\"status\",\"status\":503,\"repeat\":2}}]'");
        Console.WriteLine($"  curl -s {simulator}admin/requests");
        Console.WriteLine($"Stop with Ctrl+C; the state stays in {paths.Root} for the next start (delete it to start over).");
    }

    /// <summary>provisioningctl as it can be typed from anywhere: through the checkout when the daemon runs from one.</summary>
    private static string ProvisioningctlCommand()
    {
        for (DirectoryInfo? folder = new(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            string project = Path.Combine(folder.FullName, "src", "Cli", "Cli.csproj");
            if (File.Exists(project))
            {
                return $"dotnet run --project {Path.GetDirectoryName(project)} --";
            }
        }

        return "provisioningctl";
    }
}
