using System.Globalization;
using Provisioning.Bench.Fleet;
using Provisioning.Daemon.BackOffice;

// bench/fleet: a fleet of devices (the daemon's real engine and back-office client, one per device, in one
// process on a fake clock) against a back office with a capacity limit. See bench/README.md, "Fleet".
//   FleetBench [--devices 10000] [--capacity 100] [--scenarios boot,outage] [--strategies name,...] [--state-root /dev/shm]
int devices = 10_000;
int capacity = 100;
string[] scenarioNames = ["boot", "outage"];
string[]? strategyNames = null;
string stateRoot = Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath();
for (int i = 0; i + 1 < args.Length; i += 2)
{
    string value = args[i + 1];
    switch (args[i])
    {
        case "--devices": devices = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--capacity": capacity = int.Parse(value, CultureInfo.InvariantCulture); break;
        case "--scenarios": scenarioNames = value.Split(','); break;
        case "--strategies": strategyNames = value.Split(','); break;
        case "--state-root": stateRoot = value; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

FleetScenario[] scenarios = [.. FleetCatalog.Scenarios(devices, capacity).Where(s => scenarioNames.Contains(s.Name.Split(' ')[0]))];
FleetStrategy[] strategies = [.. FleetCatalog.Strategies().Where(s => strategyNames is null || strategyNames.Contains(s.Name))];
Console.WriteLine($"# fleet of {devices} devices, back office serving {capacity} requests/s; .NET {Environment.Version}, {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd}");
foreach (FleetStrategy strategy in strategies)
{
    Console.WriteLine($"# {strategy.Name}: {strategy.Describe()}");
}

Console.WriteLine(FleetTable.Header);
foreach (FleetScenario scenario in scenarios)
{
    foreach (FleetStrategy strategy in strategies)
    {
        string root = Path.Combine(stateRoot, $"fleet-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            FleetResult result = await FleetRun.RunAsync(scenario, strategy, root);
            Console.WriteLine(FleetTable.Row(result));
        }
        finally
        {
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}

return 0;
