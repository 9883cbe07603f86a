using Provisioning.Daemon.BackOffice;

namespace Provisioning.Bench.Fleet;

/// <summary>The scenarios of issue 12, item 4, and the strategies compared on them.</summary>
internal static class FleetCatalog
{
    public static FleetScenario[] Scenarios(int devices, int capacity) =>
    [
        new("boot (429 Retry-After 5 s)", devices, new BackOfficeCapacity(capacity, 5, TimeSpan.Zero, OutageRefuses: false), TimeSpan.FromHours(3)),
        new("boot-no-retry-after (429 without Retry-After)", devices, new BackOfficeCapacity(capacity, 0, TimeSpan.Zero, OutageRefuses: false), TimeSpan.FromHours(3)),
        new("boot-half (a back office serving half the boot rate; 429 Retry-After 5 s)", devices, new BackOfficeCapacity(Math.Max(1, capacity / 2), 5, TimeSpan.Zero, OutageRefuses: false), TimeSpan.FromHours(3)),
        new("boot-half-paced (as boot-half, Retry-After the next free slot of a queue)", devices, new BackOfficeCapacity(Math.Max(1, capacity / 2), 5, TimeSpan.Zero, OutageRefuses: false, Paced: true), TimeSpan.FromHours(3)),
        new("outage (refused for 30 min)", devices, new BackOfficeCapacity(capacity, 5, TimeSpan.FromMinutes(30), OutageRefuses: true), TimeSpan.FromHours(4)),
        new("outage-503 (503 Retry-After 5 s for 30 min)", devices, new BackOfficeCapacity(capacity, 5, TimeSpan.FromMinutes(30), OutageRefuses: false), TimeSpan.FromHours(4)),
    ];

    public static FleetStrategy[] Strategies()
    {
        FleetStrategy today = new("today", TimeSpan.FromMinutes(2), RetryJitter.Equal, TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromMinutes(15));
        return
        [
            today,
            today with { Name = "full-jitter", Jitter = RetryJitter.Full },
            today with { Name = "decorrelated", Jitter = RetryJitter.Decorrelated },
            today with { Name = "window-5m", BootWindow = TimeSpan.FromMinutes(5) },
            today with { Name = "max-150s", MaxDelay = TimeSpan.FromSeconds(150) },
            today with { Name = "max-150s-rerun-150s", MaxDelay = TimeSpan.FromSeconds(150), RerunDelay = TimeSpan.FromSeconds(150) },
            today with { Name = "max-150s-budget-2h", MaxDelay = TimeSpan.FromSeconds(150), RunBudget = TimeSpan.FromHours(2) },
            today with { Name = "max-150s-budget-2h-exact", MaxDelay = TimeSpan.FromSeconds(150), RunBudget = TimeSpan.FromHours(2), RetryAfter = RetryAfterUse.Exact },
            FleetStrategy.Defaults(),
        ];
    }
}
