using System.Globalization;

namespace Provisioning.Bench.Fleet;

/// <summary>The result table, in markdown.</summary>
internal static class FleetTable
{
    public const string Header =
        "| scenario | strategy | peak req/s (1 s) | peak req/s (10 s mean) | peak req/s once up | goal: 1.2 × N/window | rejected | requests/device | 99 % at | 100 % at | paced ideal | 100 % / ideal | early attempts | real time |\n" +
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|";

    public static string Row(FleetResult r) => string.Create(
        CultureInfo.InvariantCulture,
        $"| {r.Scenario.Name.Split(' ')[0]} | {r.Strategy.Name} | {r.PeakPerSecond} | {r.PeakPerSecondOver10s:0.#} | {r.PeakPerSecondWhileUp} | {r.PeakBound:0.#} | {r.RejectedShare:P1} | {(double)r.Requests / r.Scenario.Devices:0.00} | {Time(r.To99)} | {Time(r.To100)} | {Time(r.Ideal)} | {(r.To100OverIdeal is { } x ? x.ToString("0.00", CultureInfo.InvariantCulture) + "×" : "not all")} | {r.EarlyAttempts} | {r.RealTime.TotalSeconds:0} s |");

    private static string Time(TimeSpan? t) => t is { } v ? $"{v.TotalSeconds:0} s" : "-";
}
