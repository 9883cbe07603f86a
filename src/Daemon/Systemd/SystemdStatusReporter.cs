using Microsoft.Extensions.Hosting.Systemd;
using Provisioning.Daemon.Engine;

namespace Provisioning.Daemon.Systemd;

/// <summary>
/// Sends STATUS= with the engine's phase in words on every change, through the notifier
/// Microsoft.Extensions.Hosting.Systemd registers when systemd runs the daemon (it sends READY=1 and STOPPING=1).
/// </summary>
internal sealed class SystemdStatusReporter(
    IEnumerable<ISystemdNotifier> notifiers,
    ProvisioningEngine engine,
    TimeProvider time,
    ILogger<SystemdStatusReporter> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (notifiers.FirstOrDefault() is not { IsEnabled: true } notifier)
        {
            return;
        }

        // Small capacity: only the latest phase matters, and an overflow just means resubscribing.
        while (!stoppingToken.IsCancellationRequested)
        {
            using StateSubscription subscription = engine.Subscribe(capacity: 64);
            try
            {
                await foreach (EngineState state in subscription.Reader.ReadAllAsync(stoppingToken))
                {
                    string status = SystemdStatusText.Describe(state, time.GetUtcNow());
                    SystemdLog.StatusSent(logger, status);
                    notifier.Notify(new ServiceState("STATUS=" + status));
                }

                return;
            }
            catch (SubscriberOverflowException)
            {
                // Fell behind a burst of changes; the next subscription starts from the current state.
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (notifiers.FirstOrDefault() is { IsEnabled: true } notifier)
        {
            notifier.Notify(new ServiceState("STATUS=stopping"));
        }
    }
}
