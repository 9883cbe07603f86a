using System.Collections.Concurrent;
using System.Diagnostics;
using Provisioning.Daemon.Engine;

namespace Provisioning.Bench.Fleet;

/// <summary>
/// Runs a fleet on the virtual clock as a discrete-event simulation: jump to the next timer that falls due
/// (plus <see cref="Quantum"/>, so timers due together fire together), then wait, in real time, until
/// every device touched has settled (its request answered, its state published, its next timer armed),
/// and again. Devices never see the clock move while they work, so every wait they choose is kept exactly.
/// </summary>
internal static class FleetRun
{
    /// <summary>Timers due within this much of each other fire in one step; the time resolution of the run.</summary>
    public static readonly TimeSpan Quantum = TimeSpan.FromMilliseconds(10);

    /// <summary>The first instant of every run (a Monday; any date after the daemon's build date).</summary>
    public static readonly DateTimeOffset Start = new(2027, 1, 4, 0, 0, 0, TimeSpan.Zero);

    private static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(60);

    public static async Task<FleetResult> RunAsync(FleetScenario scenario, FleetStrategy strategy, string stateRoot, int seed = 12, CancellationToken cancellationToken = default)
    {
        var realTime = Stopwatch.StartNew();
        var clock = new FleetClock(Start);
        await using FleetBackOffice backOffice = await FleetBackOffice.StartAsync(scenario.BackOffice, clock.Fake);
        var dirty = new ConcurrentDictionary<FleetDevice, byte>();
        var devices = new FleetDevice[scenario.Devices];
        var seeds = new Random(seed);
        for (int i = 0; i < devices.Length; i++)
        {
            devices[i] = new FleetDevice(i, strategy, clock, backOffice, Path.Combine(stateRoot, i.ToString("D6", System.Globalization.CultureInfo.InvariantCulture)), seeds, d => dirty.TryAdd(d, 0));
        }

        try
        {
            // All power up in the same instant.
            foreach (FleetDevice device in devices)
            {
                await device.Engine.StartAsync(cancellationToken);
                dirty.TryAdd(device, 0);
            }

            int provisioned = 0;
            DateTimeOffset end = Start + scenario.Limit;
            while (true)
            {
                provisioned += await SettleAsync(dirty, clock, cancellationToken);
                if (provisioned == devices.Length || clock.Now >= end || clock.NextDueTicks() is not { } nextDue)
                {
                    break;
                }

                long target = Math.Max(nextDue, clock.Now.UtcTicks) + Quantum.Ticks;
                clock.Fake.Advance(TimeSpan.FromTicks(target - clock.Now.UtcTicks));
            }

            return Measure(scenario, strategy, devices, backOffice, realTime.Elapsed);
        }
        finally
        {
            await Task.WhenAll(devices.Select(d => d.Engine.StopAsync(CancellationToken.None)));
            foreach (FleetDevice device in devices)
            {
                device.Dispose();
            }
        }
    }

    /// <summary>Waits until every touched device has settled; returns how many became provisioned.</summary>
    private static async Task<int> SettleAsync(ConcurrentDictionary<FleetDevice, byte> dirty, FleetClock clock, CancellationToken cancellationToken)
    {
        int provisioned = 0;
        int rounds = 0;
        var since = Stopwatch.StartNew();
        DateTimeOffset now = clock.Now;
        while (!dirty.IsEmpty)
        {
            foreach (FleetDevice device in dirty.Keys)
            {
                if (!device.IsSettled(now, Quantum))
                {
                    continue;
                }

                dirty.TryRemove(device, out _);
                if (device.ProvisionedAt is null && device.Engine.Current is { IsProvisioned: true, Issued: { } issued })
                {
                    device.ProvisionedAt = issued;
                    provisioned++;
                }
            }

            if (dirty.IsEmpty)
            {
                break;
            }

            if (since.Elapsed > SettleTimeout)
            {
                FleetDevice stuck = dirty.Keys.First();
                EngineState state = stuck.Engine.Current;
                throw new TimeoutException(
                    $"{dirty.Count} device(s) did not settle at {now:O}; e.g. {stuck.Id}: {state.Phase}, next {state.NextAttemptAt:O}, last error {state.LastError}");
            }

            cancellationToken.ThrowIfCancellationRequested();
            if (++rounds < 50)
            {
                await Task.Yield();
            }
            else
            {
                await Task.Delay(1, cancellationToken);
            }
        }

        return provisioned;
    }

    private static FleetResult Measure(FleetScenario scenario, FleetStrategy strategy, FleetDevice[] devices, FleetBackOffice backOffice, TimeSpan realTime)
    {
        Arrival[] arrivals = backOffice.Arrivals();

        // Times are measured from when the back office can first serve: the start, or the end of the outage.
        DateTimeOffset from = backOffice.UpAt;
        var perSecond = new Dictionary<long, int>();
        var servedPerSecond = new Dictionary<long, int>();
        foreach (Arrival arrival in arrivals)
        {
            long second = (arrival.Ticks - Start.UtcTicks) / TimeSpan.TicksPerSecond;
            perSecond[second] = perSecond.GetValueOrDefault(second) + 1;
            if (arrival.Outcome == ArrivalOutcome.Served)
            {
                servedPerSecond[second] = servedPerSecond.GetValueOrDefault(second) + 1;
            }
        }

        long last = perSecond.Count == 0 ? 0 : perSecond.Keys.Max();
        double peak10 = 0;
        for (long s = 0; s <= last; s++)
        {
            int sum = 0;
            for (long k = s; k < s + 10; k++)
            {
                sum += perSecond.GetValueOrDefault(k);
            }

            peak10 = Math.Max(peak10, sum / 10.0);
        }

        TimeSpan[] times = [.. devices.Where(d => d.ProvisionedAt is not null).Select(d => d.ProvisionedAt!.Value - from).Order()];
        int n = devices.Length;
        TimeSpan? To(double share)
        {
            int needed = (int)Math.Ceiling(share * n);
            return times.Length >= needed ? times[needed - 1] : null;
        }

        TimeSpan readyAfterUp = strategy.BootWindow - scenario.BackOffice.Outage;
        TimeSpan paced = TimeSpan.FromSeconds((double)n / scenario.BackOffice.RequestsPerSecond);
        TimeSpan ideal = readyAfterUp > paced ? readyAfterUp : paced;
        return new FleetResult(
            scenario,
            strategy,
            times.Length,
            arrivals.Length,
            arrivals.Count(a => a.Outcome == ArrivalOutcome.Rejected),
            arrivals.Count(a => a.Outcome == ArrivalOutcome.Down),
            perSecond.Count == 0 ? 0 : perSecond.Values.Max(),
            peak10,
            servedPerSecond.Count == 0 ? 0 : servedPerSecond.Values.Max(),
            perSecond.Where(p => Start.UtcTicks + (p.Key * TimeSpan.TicksPerSecond) >= from.UtcTicks).Select(p => p.Value).DefaultIfEmpty(0).Max(),
            To(0.99),
            To(1.0),
            ideal,
            backOffice.EarlyAttempts,
            backOffice.ShortestGap,
            realTime);
    }
}
