using System.Collections.Concurrent;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Provisioning.Daemon.Systemd;
using Provisioning.Daemon.Tests.Infrastructure;
using Provisioning.Daemon.Wedged;

namespace Provisioning.Daemon.Tests.Systemd;

/// <summary>The watchdog loop against the real engine, its clock driven by FakeTimeProvider.</summary>
public sealed class SystemdWatchdogTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Run_EngineAnswers_OnePingPerInterval()
    {
        await using TestDaemon daemon = await TestDaemon.StartAsync(o => o.ProvisionAtBoot = false);
        var time = new FakeTimeProvider();
        var notifier = new RecordingNotifier();
        using var stop = new CancellationTokenSource();
        var watchdog = new SystemdWatchdog([notifier], daemon.Engine, time, NullLogger<SystemdWatchdog>.Instance);

        Task running = watchdog.RunAsync(notifier, Interval, stop.Token);
        await notifier.WaitForCountAsync(1);
        for (int expected = 2; expected <= 4; expected++)
        {
            time.Advance(Interval);
            await notifier.WaitForCountAsync(expected);
        }

        await stop.CancelAsync();
        await running;
        Assert.Equal(4, notifier.Sent.Count(s => s == "WATCHDOG=1"));
    }

    [Fact]
    public async Task Run_EngineLoopBlocked_WithholdsPingsUntilItAnswersAgain()
    {
        using var wedged = new ManualResetEventSlim(false);
        var clock = new BlockingClock(() => wedged.IsSet, TimeProvider.System);
        await using TestDaemon daemon = await TestDaemon.StartAsync(o =>
        {
            o.ProvisionAtBoot = false;
            o.ConfigureServices = services => services.UseEngineClock(clock);
        });
        var time = new FakeTimeProvider();
        var notifier = new RecordingNotifier();
        using var stop = new CancellationTokenSource();
        var logger = new FakeLogger<SystemdWatchdog>();
        var watchdog = new SystemdWatchdog([notifier], daemon.Engine, time, logger);
        Task running = watchdog.RunAsync(notifier, Interval, stop.Token);
        await notifier.WaitForCountAsync(1);

        // The end of a run makes the loop plan the next one by the clock: there it stalls.
        wedged.Set();
        await daemon.Engine.ProvisionAsync();
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (!clock.IsHolding)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10), timeout.Token);
            }
        }

        time.Advance(Interval);
        // The ping that went in with that tick times out one interval later: that iteration sends nothing.
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30)))
        {
            while (!logger.Collector.GetSnapshot().Any(r => r.Id.Id == 4001))
            {
                time.Advance(TimeSpan.FromSeconds(1));
                await Task.Yield();
                timeout.Token.ThrowIfCancellationRequested();
            }
        }

        Assert.Equal(1, notifier.Count);
        wedged.Reset();
        await notifier.WaitForCountAsync(2);
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Id.Id == 4002);
        await stop.CancelAsync();
        await running;
    }

    private sealed class RecordingNotifier : ISystemdNotifier
    {
        private readonly ConcurrentQueue<string> _sent = new();
        private readonly SemaphoreSlim _arrived = new(0);

        public bool IsEnabled => true;

        public IReadOnlyCollection<string> Sent => [.. _sent];

        public int Count => _sent.Count;

        public void Notify(ServiceState state)
        {
            _sent.Enqueue(state.ToString());
            _arrived.Release();
        }

        public async Task WaitForCountAsync(int count)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while (_sent.Count < count)
            {
                await _arrived.WaitAsync(timeout.Token);
            }
        }
    }
}
