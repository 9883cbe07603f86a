using Provisioning.BackOfficeSimulator;
using Provisioning.Client;
using Provisioning.Daemon.Engine;
using Provisioning.Daemon.Hosting;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Grpc;

/// <summary>
/// The shared <see cref="TestDaemon"/> set up the way the gRPC tests want it: the simulator issues
/// 3 labels with 4 keys each, the socket keeps the daemon's group, and start waits for the boot run.
/// </summary>
internal sealed class GrpcTestDaemon : IAsyncDisposable
{
    private readonly TestDaemon _daemon;

    private GrpcTestDaemon(TestDaemon daemon) => _daemon = daemon;

    public string SocketPath => _daemon.SocketPath;

    /// <summary>A folder of this test's own, beside the socket.</summary>
    public string Directory => Path.GetDirectoryName(_daemon.SocketPath)!;

    public string DeviceId => _daemon.DeviceId;

    public string StateDirectory => _daemon.StateDirectory;

    public Uri JsonRpcBaseAddress => _daemon.JsonRpcBaseAddress;

    public ProvisioningEngine Engine => _daemon.Engine;

    /// <summary>The key the back office issued to this device for a label's slot.</summary>
    public byte[] IssuedKey(string label, int slot) => _daemon.IssuedKey(label, slot);

    public IServiceProvider Services => _daemon.Services;

    public static async Task<GrpcTestDaemon> StartAsync(
        bool withSimulator = true,
        bool provisionAtBoot = true,
        Action<SimulatorOptions>? simulator = null,
        IReadOnlyDictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null)
    {
        TestDaemon daemon = await TestDaemon.StartAsync(options =>
        {
            options.ConfigureServices = configureServices;
            options.WithSimulator = withSimulator;
            options.ProvisionAtBoot = provisionAtBoot;
            options.Simulator = s =>
            {
                s.KeysPerLabel = 4;
                simulator?.Invoke(s);
            };
            options.Settings["Grpc:SocketGroup"] = string.Empty;
            foreach ((string key, string? value) in settings ?? new Dictionary<string, string?>())
            {
                options.Settings[key] = value;
            }
        });
        var grpc = new GrpcTestDaemon(daemon);
        try
        {
            if (withSimulator && provisionAtBoot)
            {
                await daemon.WaitUntilProvisionedAsync();
            }
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }

        return grpc;
    }

    /// <summary>Builds (without starting) a second daemon host on this one's socket path.</summary>
    public WebApplication BuildSecondHost(string stateDirectory) => DaemonHost.Build(DaemonHost.CreateBuilder([], new Dictionary<string, string?>
    {
        ["Device:Id"] = DeviceId,
        ["State:Directory"] = stateDirectory,
        ["Grpc:SocketPath"] = SocketPath,
        ["Grpc:SocketGroup"] = string.Empty,
        ["JsonRpc:Url"] = "http://127.0.0.1:0",
        ["Boot:MaxDelay"] = "1.00:00:00",
        ["Logging:LogLevel:Default"] = "Warning",
    }));

    public ProvisioningClient CreateClient() => new(new ProvisioningClientOptions
    {
        SocketPath = SocketPath,
        ReconnectDelay = TimeSpan.FromMilliseconds(50),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(500),
    });

    public Task<EngineState> WaitForStateAsync(Func<EngineState, bool> predicate) => _daemon.WaitForStateAsync(predicate);

    public Task RestartAsync() => _daemon.RestartAsync();

    public ValueTask DisposeAsync() => _daemon.DisposeAsync();
}
