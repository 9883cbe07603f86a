using Provisioning.Daemon.Engine;

namespace Provisioning.Daemon.Systemd;

/// <summary>Installs <see cref="EngineWedgeTestHook"/> when (and only when) its test-only variable is set.</summary>
internal sealed class EngineTestHookInstaller(ProvisioningEngine engine, TimeProvider time, ILogger<EngineTestHookInstaller> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        EngineWedgeTestHook.InstallIfRequested(engine, time, logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
