using System.Diagnostics;
using Microsoft.AspNetCore.Hosting.Server;
using Provisioning.BackOfficeSimulator;
using Provisioning.Daemon.Engine;
using Provisioning.Daemon.Hosting;
using Provisioning.Daemon.JsonRpc;

namespace Provisioning.Daemon.Dev;

/// <summary>
/// `provisioningd-dev`: the one-command local mode. State and socket under ./.dev, the JSON-RPC bridge on
/// 127.0.0.1:9998, the back-office simulator on a loopback port, provisioning at once, and a note on what
/// to type next. Every setting can still be overridden on the command line.
/// </summary>
internal static class DevMode
{
    /// <summary>The switch of the time when dev mode lived in provisioningd itself; still accepted, and ignored.</summary>
    public const string Switch = "--dev";
    private const int MaxSocketPathLength = 100;

    public static async Task<int> RunAsync(string[] args)
    {
        var clock = Stopwatch.StartNew();
        DevPaths paths = DevPaths.Create(Path.GetFullPath(".dev"), MaxSocketPathLength);
        await using SimulatorServer simulator = await SimulatorServer.StartAsync(new SimulatorOptions());
        var overrides = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["BackOffice:Url"] = simulator.BaseAddress.ToString(),
            ["Device:IdFile"] = paths.MachineIdFile,
            ["State:Directory"] = paths.StateDirectory,
            ["Grpc:SocketPath"] = paths.SocketPath,
            ["JsonRpc:Url"] = "http://127.0.0.1:9998",
            ["Boot:MaxDelay"] = "00:00:00",
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Provisioning.Daemon.Engine"] = "Information",
        };

        await using WebApplication app = DaemonHost.Build(DaemonHost.CreateBuilder(args, overrides));
        var engine = app.Services.GetRequiredService<ProvisioningEngine>();
        using StateSubscription subscription = engine.Subscribe();
        await app.StartAsync();

        Uri? jsonRpc = JsonRpcBoundAddress.Of(app.Services.GetRequiredService<IServer>());
        DevBanner.PrintStarted(paths, simulator.BaseAddress, jsonRpc);
        EngineState settled = await WaitUntilSettledAsync(subscription, app.Lifetime.ApplicationStopping);
        DevBanner.PrintSettled(settled, clock.Elapsed, paths, simulator.BaseAddress, jsonRpc);

        await app.WaitForShutdownAsync();
        return DaemonProgram.ExitOk;
    }

    /// <summary>The first state that is provisioned, or the end of the first run, whichever comes first.</summary>
    private static async Task<EngineState> WaitUntilSettledAsync(StateSubscription subscription, CancellationToken stopping)
    {
        EngineState last = subscription.Reader.TryPeek(out EngineState? first) ? first : throw new InvalidOperationException("no state");
        try
        {
            await foreach (EngineState state in subscription.Reader.ReadAllAsync(stopping))
            {
                last = state;
                bool idleWithLabels = state.IsProvisioned && state.Phase is EnginePhase.Idle or EnginePhase.Unavailable;
                if (state.Change == StateChange.RunEnded || idleWithLabels || state.Phase == EnginePhase.Unavailable)
                {
                    return state;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Stopped before the first run ended; report what there is.
        }

        return last;
    }
}
