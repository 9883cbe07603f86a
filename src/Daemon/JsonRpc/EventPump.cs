using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Engine;

namespace Provisioning.Daemon.JsonRpc;

/// <summary>
/// The bridge's single engine subscription. One subscription feeding per-connection queues keeps the
/// engine's fan-out independent of how many WebSockets are open, and lets each slow socket fail alone.
/// With the bridge not configured (no listener) it does not subscribe at all.
/// </summary>
internal sealed class EventPump(ProvisioningEngine engine, EventHub hub, IOptions<JsonRpcOptions> options, ILogger<EventPump> logger) : BackgroundService
{
    private const int Capacity = 1024;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            using StateSubscription subscription = engine.Subscribe(Capacity);
            try
            {
                bool first = true;
                await foreach (EngineState state in subscription.Reader.ReadAllAsync(stoppingToken))
                {
                    // The first item is the current state, not a change; callers read it with `state`.
                    if (!first)
                    {
                        hub.Publish(state);
                    }

                    first = false;
                }

                return;
            }
            catch (Exception exception) when (exception is SubscriberOverflowException || exception.InnerException is SubscriberOverflowException)
            {
                JsonRpcLog.EventPumpOverflow(logger);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // The daemon is stopping: nothing left to fan out.
                return;
            }
        }
    }
}
