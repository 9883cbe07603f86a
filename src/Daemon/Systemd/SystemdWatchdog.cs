using Microsoft.Extensions.Hosting.Systemd;
using Provisioning.Daemon.Engine;

namespace Provisioning.Daemon.Systemd;

/// <summary>
/// Sends WATCHDOG=1 at half of WATCHDOG_USEC, but only after the engine's loop has answered a ping within
/// that interval: a process whose threads run while the state machine is stuck is not healthy, and
/// withholding the ping lets systemd kill and restart it (WatchdogSec= with Restart=on-failure).
/// </summary>
internal sealed class SystemdWatchdog(
    IEnumerable<ISystemdNotifier> notifiers,
    ProvisioningEngine engine,
    TimeProvider time,
    ILogger<SystemdWatchdog> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        TimeSpan? configured = WatchdogSettings.Interval(
            Environment.GetEnvironmentVariable("WATCHDOG_USEC"),
            Environment.GetEnvironmentVariable("WATCHDOG_PID"),
            Environment.ProcessId);
        if (notifiers.FirstOrDefault() is not { IsEnabled: true } notifier || configured is not { } interval)
        {
            return;
        }

        SystemdLog.WatchdogEnabled(logger, interval);
        await RunAsync(notifier, interval, stoppingToken);
    }

    /// <summary>One ping per interval; a ping that is late withholds that WATCHDOG=1.</summary>
    internal async Task RunAsync(ISystemdNotifier notifier, TimeSpan interval, CancellationToken stoppingToken)
    {
        bool answering = true;
        using var timer = new PeriodicTimer(interval, time);
        do
        {
            try
            {
                await engine.PingAsync(stoppingToken).WaitAsync(interval, time, stoppingToken);
                if (!answering)
                {
                    SystemdLog.EngineAnswersAgain(logger);
                }

                // After the log line, so whoever sees the ping (systemd, a test) also finds the line.
                notifier.Notify(new ServiceState("WATCHDOG=1"));

                answering = true;
            }
            catch (TimeoutException)
            {
                if (answering)
                {
                    SystemdLog.EngineNotAnswering(logger, interval);
                }

                answering = false;
            }
            catch (InvalidOperationException)
            {
                // The engine has stopped: shutdown is under way and systemd no longer expects pings.
                return;
            }
        }
        while (await WaitForTickAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitForTickAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
