using System.Threading.Channels;
using Microsoft.Extensions.Hosting;
using Provisioning.Daemon.Engine;

namespace Provisioning.Daemon.Memory;

/// <summary>
/// The daemon spends nearly all its life idle between runs months apart. After start-up and after each run
/// it gives the memory that start-up or the run used back to the system: one full, compacting GC that
/// decommits the free GC regions (<see cref="GCCollectionMode.Aggressive"/>), then the code pages it no longer
/// runs (<see cref="MappedCodePages"/>). A few milliseconds each time; the effect on idle RSS is measured in
/// bench/README.md, "Footprint". Each trim waits until the daemon has
/// started and its state has been quiet for <see cref="QuietBeforeTrim"/>: the GC stops every thread, and run at
/// the end of a run it held up the notifications of that very change to the subscribers (bench/README.md, "Latest
/// full run"), run in ApplicationStarted it came before READY=1.
/// </summary>
internal sealed class IdleMemoryTrim(ProvisioningEngine engine, IHostApplicationLifetime lifetime, TimeProvider timeProvider, ILogger<IdleMemoryTrim> logger) : BackgroundService
{
    public static readonly TimeSpan QuietBeforeTrim = TimeSpan.FromSeconds(1);

    private const int Capacity = 16;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            try
            {
                await started.Task.WaitAsync(stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }

        bool due = true; // start-up's own trim
        while (!stoppingToken.IsCancellationRequested)
        {
            using StateSubscription subscription = engine.Subscribe(Capacity);
            try
            {
                await TrimAfterRunsAsync(subscription.Reader, due, stoppingToken);
                return;
            }
            catch (Exception exception) when (exception is SubscriberOverflowException || exception.InnerException is SubscriberOverflowException)
            {
                // Fell behind a burst of changes: subscribe again, and trim once it is over.
                due = true;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private void Trim()
    {
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        long releasedKiB = MappedCodePages.Release();
        long heapKiB = GC.GetGCMemoryInfo().HeapSizeBytes / 1024;
        MemoryLog.MemoryTrimmed(logger, heapKiB, releasedKiB);
    }

    private async Task TrimAfterRunsAsync(ChannelReader<EngineState> states, bool due, CancellationToken stoppingToken)
    {
        while (true)
        {
            if (due && !await ChangesWithinAsync(states, stoppingToken))
            {
                Trim();
                due = false;
            }

            if (!await states.WaitToReadAsync(stoppingToken))
            {
                return;
            }

            while (states.TryRead(out EngineState? state))
            {
                due |= state.Change == StateChange.RunEnded;
            }
        }
    }

    /// <summary>Whether another state arrives (or the subscription ends) within <see cref="QuietBeforeTrim"/>.</summary>
    private async Task<bool> ChangesWithinAsync(ChannelReader<EngineState> states, CancellationToken stoppingToken)
    {
        using var quiet = new CancellationTokenSource(QuietBeforeTrim, timeProvider);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(quiet.Token, stoppingToken);
        try
        {
            await states.WaitToReadAsync(either.Token);
            return true;
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
