using Provisioning.Daemon.Engine;

namespace Provisioning.Daemon.Dev;

/// <summary>What --dev prints for a newcomer: where things are, what happened, what to type next.</summary>
internal static class DevBanner
{
    public static void PrintStarted(DevPaths paths, Uri simulator, IConfiguration configuration)
    {
        Console.WriteLine();
        Console.WriteLine("provisioningd --dev");
        Console.WriteLine($"  state      {paths.StateDirectory}");
        Console.WriteLine($"  gRPC       unix:{paths.SocketPath}");
        Console.WriteLine($"  JSON-RPC   {configuration["JsonRpc:Url"]}/jsonrpc");
        Console.WriteLine($"  back office (simulator) {simulator}");
        Console.WriteLine();
    }

    public static void PrintSettled(EngineState state, TimeSpan elapsed, DevPaths paths, IConfiguration configuration)
    {
        string outcome = state.IsProvisioned
            ? $"provisioned {state.Id}: status {state.Status}, labels {string.Join(", ", state.Tokens)}"
            : $"not provisioned {state.Id}: status {state.Status}, {state.LastError}";
        Console.WriteLine($"{outcome} ({elapsed.TotalSeconds:0.00} s after start)");
        Console.WriteLine();
        Console.WriteLine("Try next (in another terminal):");
        Console.WriteLine($"  dotnet run --project src/Cli -- --socket {paths.SocketPath} status");
        Console.WriteLine($"  dotnet run --project src/Cli -- --socket {paths.SocketPath} watch");
        Console.WriteLine($"  dotnet run --project src/Cli -- --socket {paths.SocketPath} provision --wait");
        string jsonRpc = $"{configuration["JsonRpc:Url"]}/jsonrpc";
        Console.WriteLine($"  curl -s -d '{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"Provisioning.1.state\"}}' {jsonRpc}");
        Console.WriteLine($"  curl -s -d '{{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"Provisioning.1.provision\"}}' {jsonRpc}");
        Console.WriteLine($"  websocat -H 'Sec-WebSocket-Protocol: notification' ws://{new Uri(configuration["JsonRpc:Url"]!).Authority}/jsonrpc");
        Console.WriteLine("     then send {\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"Provisioning.1.register\",\"params\":{\"event\":\"provisioningchange\",\"id\":\"client.events.1\"}}");
        Console.WriteLine("Make the back office fail (see tools/BackOfficeSimulator/README.md), then provision again:");
        Console.WriteLine("  the simulator's admin endpoint is under the back-office address above: /admin/faults, /admin/requests");
        Console.WriteLine("Stop with Ctrl+C; the state stays in .dev/ for the next start (delete .dev/ to start over).");
    }
}
