using Provisioning.BackOfficeSimulator;
using Provisioning.Client;
using Provisioning.Daemon.Engine;
using Provisioning.Daemon.Hosting;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Grpc;

/// <summary>
/// The real host (DaemonHost.CreateBuilder/Build) in-process on a temporary Unix socket, with the
/// back-office simulator on a real loopback port. Same shape as the shared TestDaemon fixture.
/// </summary>
internal sealed class GrpcTestDaemon : IAsyncDisposable
{
    public const string DeviceId = "WPE00000GrpcTest";

    private readonly TempDirectory _temp;
    private readonly Dictionary<string, string?> _settings;
    private WebApplication? _app;

    private GrpcTestDaemon(TempDirectory temp, Dictionary<string, string?> settings, SimulatorServer? simulator)
    {
        _temp = temp;
        _settings = settings;
        Simulator = simulator;
    }

    public string SocketPath => _settings["Grpc:SocketPath"]!;

    public string Directory => _temp.Path;

    public SimulatorServer? Simulator { get; }

    public IServiceProvider Services => _app!.Services;

    public ProvisioningEngine Engine => Services.GetRequiredService<ProvisioningEngine>();

    /// <summary>Starts a daemon. Provisioned at boot from the simulator (3 labels, 4 keys each) unless told otherwise.</summary>
    public static async Task<GrpcTestDaemon> StartAsync(
        bool withSimulator = true,
        bool provisionAtBoot = true,
        Action<SimulatorOptions>? simulator = null,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        var temp = new TempDirectory();
        SimulatorServer? server = null;
        if (withSimulator)
        {
            // A lifetime under 49 days: the engine's refresh timer cannot be armed further out (reported to the lead).
            var options = new SimulatorOptions { KeysPerLabel = 4, Lifetime = TimeSpan.FromDays(10) };
            simulator?.Invoke(options);
            server = await SimulatorServer.StartAsync(options);
        }

        var all = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["State:Directory"] = temp.Combine("state"),
            ["Device:Id"] = DeviceId,
            ["Grpc:SocketPath"] = temp.Combine("run", "p.sock"),
            ["Grpc:SocketGroup"] = string.Empty,
            ["JsonRpc:Url"] = string.Empty,
            ["Boot:MaxDelay"] = provisionAtBoot ? "00:00:00" : "1.00:00:00",
            ["BackOffice:Url"] = server?.BaseAddress.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach ((string key, string? value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var daemon = new GrpcTestDaemon(temp, all, server);
        try
        {
            await daemon.StartHostAsync();
            if (withSimulator && provisionAtBoot)
            {
                await daemon.WaitForStateAsync(s => s.IsProvisioned && s.Phase == EnginePhase.Idle);
            }
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }

        return daemon;
    }

    /// <summary>Builds (without starting) another host with this daemon's settings, e.g. to compete for its socket.</summary>
    public WebApplication BuildSecondHost(string stateDirectory)
    {
        var settings = new Dictionary<string, string?>(_settings, StringComparer.OrdinalIgnoreCase) { ["State:Directory"] = stateDirectory };
        return DaemonHost.Build(DaemonHost.CreateBuilder([], settings));
    }

    public ProvisioningClient CreateClient() => new(new ProvisioningClientOptions
    {
        SocketPath = SocketPath,
        ReconnectDelay = TimeSpan.FromMilliseconds(50),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
    });

    public async Task<EngineState> WaitForStateAsync(Func<EngineState, bool> predicate, TimeSpan? timeout = null)
    {
        using StateSubscription subscription = Engine.Subscribe(65536);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        await foreach (EngineState state in subscription.Reader.ReadAllAsync(cts.Token))
        {
            if (predicate(state))
            {
                return state;
            }
        }

        throw new InvalidOperationException("The state stream ended before the expected state.");
    }

    public async Task RestartAsync()
    {
        await StopHostAsync();
        await StartHostAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await StopHostAsync();
        if (Simulator is not null)
        {
            await Simulator.DisposeAsync();
        }

        _temp.Dispose();
    }

    private async Task StartHostAsync()
    {
        _app = DaemonHost.Build(DaemonHost.CreateBuilder([], _settings));
        await _app.StartAsync();
    }

    private async Task StopHostAsync()
    {
        if (_app is null)
        {
            return;
        }

        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }
}
