using Microsoft.Extensions.Hosting;
using Provisioning.Daemon.Engine;

namespace Provisioning.Daemon.Hosting;

/// <summary>
/// The daemon spends nearly all its life idle between runs months apart. After start-up and after each run
/// it gives the memory that start-up or the run used back to the system: one full, compacting GC that
/// decommits the free GC regions (<see cref="GCCollectionMode.Aggressive"/>). A few milliseconds each time;
/// the effect on idle RSS is measured in bench/README.md, "Footprint".
/// </summary>
internal sealed class IdleMemoryTrim(ProvisioningEngine engine, IHostApplicationLifetime lifetime) : BackgroundService
{
    private const int Capacity = 16;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        lifetime.ApplicationStarted.Register(Trim);
        while (!stoppingToken.IsCancellationRequested)
        {
            using StateSubscription subscription = engine.Subscribe(Capacity);
            try
            {
                await foreach (EngineState state in subscription.Reader.ReadAllAsync(stoppingToken))
                {
                    if (state.Change == StateChange.RunEnded)
                    {
                        Trim();
                    }
                }

                return;
            }
            catch (Exception exception) when (exception is SubscriberOverflowException || exception.InnerException is SubscriberOverflowException)
            {
                // Fell behind a burst of changes: subscribe again; a trim more or less changes nothing.
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private static void Trim() => GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
}
