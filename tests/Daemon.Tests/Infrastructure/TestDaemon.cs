using Microsoft.AspNetCore.Hosting.Server;
using Provisioning.BackOfficeSimulator;
using Provisioning.Daemon.Engine;
using Provisioning.Daemon.Hosting;
using Provisioning.Daemon.Identity;
using Provisioning.Daemon.JsonRpc;

namespace Provisioning.Daemon.Tests.Infrastructure;

/// <summary>
/// The real daemon host in-process: state and Unix socket in a fresh temp folder, the JSON-RPC bridge on
/// 127.0.0.1 port 0, and the back-office simulator on a real loopback port.
/// </summary>
public sealed class TestDaemon : IAsyncDisposable
{
    private readonly TestDaemonOptions _options;
    private readonly TempDirectory _folder = new();
    private WebApplication? _app;

    private TestDaemon(TestDaemonOptions options)
    {
        _options = options;
        DeviceId = ProvisionId.Derive(Guid.NewGuid().ToString());
    }

    public IServiceProvider Services => App.Services;

    internal ProvisioningEngine Engine => Services.GetRequiredService<ProvisioningEngine>();

    public string DeviceId { get; }

    public string SocketPath => _folder.Combine("p.sock");

    public string StateDirectory => _folder.Combine("state");

    public Uri JsonRpcBaseAddress { get; private set; } = new("http://127.0.0.1/");

    internal SimulatorServer? Simulator { get; private set; }

    /// <summary>The labels the back office issued to this device, in its order.</summary>
    internal IReadOnlyList<string> IssuedLabels =>
        Simulator is { } simulator && simulator.Devices.TryGet(DeviceId, out var device)
            ? device.LabelNames
            : throw new InvalidOperationException($"The back office issued nothing to {DeviceId}.");

    /// <summary>The key the back office issued to this device for a label's slot: what every API must hand out.</summary>
    internal byte[] IssuedKey(string label, int slot)
    {
        SimulatorServer simulator = Simulator ?? throw new InvalidOperationException("This daemon has no simulator.");
        return simulator.Devices.TryGet(DeviceId, out var device)
            ? device.KeysOf(label)[slot]
            : throw new InvalidOperationException($"The back office issued nothing to {DeviceId}.");
    }

    private WebApplication App => _app ?? throw new InvalidOperationException("The daemon is not running.");

    public static async Task<TestDaemon> StartAsync(Action<TestDaemonOptions>? configure = null)
    {
        var options = new TestDaemonOptions();
        configure?.Invoke(options);
        var daemon = new TestDaemon(options);
        try
        {
            if (options.WithSimulator)
            {
                var simulatorOptions = new SimulatorOptions { TimeProvider = options.Time ?? TimeProvider.System };
                options.Simulator?.Invoke(simulatorOptions);
                daemon.Simulator = await SimulatorServer.StartAsync(simulatorOptions);
            }

            await daemon.StartHostAsync();
            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    /// <summary>The first published state (the current one included) that satisfies the predicate.</summary>
    internal async Task<EngineState> WaitForStateAsync(Func<EngineState, bool> predicate, TimeSpan? timeout = null)
    {
        using StateSubscription subscription = Engine.Subscribe(capacity: 100_000);
        using var cancellation = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            await foreach (EngineState state in subscription.Reader.ReadAllAsync(cancellation.Token))
            {
                if (predicate(state))
                {
                    return state;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Reported below with the state that was reached.
        }

        throw new TimeoutException($"The expected state was not reached; the last one was {Engine.Current}.");
    }

    /// <summary>The first state that holds a provisioning with no run in progress (the boot run may already be over).</summary>
    internal Task<EngineState> WaitUntilProvisionedAsync() =>
        WaitForStateAsync(s => s.IsProvisioned && s.Phase == EnginePhase.Idle);

    /// <summary>Stops the host as SIGTERM would and starts it again on the same state folder and socket.</summary>
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

        _folder.Dispose();
    }

    private async Task StartHostAsync()
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Device:Id"] = DeviceId,
            ["State:Directory"] = StateDirectory,
            ["Grpc:SocketPath"] = SocketPath,
            ["JsonRpc:Url"] = "http://127.0.0.1:0",
            ["Boot:MaxDelay"] = _options.ProvisionAtBoot ? "00:00:00" : "1.00:00:00",
            ["BackOffice:Url"] = Simulator?.BaseAddress.ToString(),
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach ((string key, string? value) in _options.Settings)
        {
            settings[key] = value;
        }

        WebApplicationBuilder builder = DaemonHost.CreateBuilder([], settings);
        if (_options.Time is not null)
        {
            builder.Services.AddSingleton(_options.Time);
        }

        _options.ConfigureServices?.Invoke(builder.Services);
        WebApplication app = DaemonHost.Build(builder);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        _app = app;
        JsonRpcBaseAddress = JsonRpcBoundAddress.Of(app.Services.GetRequiredService<IServer>()) ?? JsonRpcBaseAddress;
    }

    private async Task StopHostAsync()
    {
        if (_app is null)
        {
            return;
        }

        WebApplication app = _app;
        _app = null;
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
