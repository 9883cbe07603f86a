namespace Provisioning.Bench.Fleet;

/// <summary>A fleet and the back office it meets.</summary>
/// <param name="Name">How the result table names it.</param>
/// <param name="Devices">How many devices power up together (all in the same second, with nothing stored).</param>
/// <param name="BackOffice">The back office's capacity and outage.</param>
/// <param name="Limit">Virtual time after which the run stops even if devices are still unprovisioned.</param>
internal sealed record FleetScenario(string Name, int Devices, BackOfficeCapacity BackOffice, TimeSpan Limit);
