using System.Globalization;
using System.Text;

namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>The figures of a crash-state run as Markdown: per scenario, the trace, the states constructed and checked, the failures.</summary>
internal static class CrashReport
{
    public static string Write(IReadOnlyList<CrashSpace> spaces, IReadOnlyList<CrashCheck> checks, CrashSample sample, TimeSpan setUp, TimeSpan checking)
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"Crash states ({sample}); set-up (recording under strace, enumeration) {setUp.TotalSeconds:F1} s, daemon checks {checking.TotalSeconds:F1} s.");
        text.AppendLine();
        text.AppendLine("| scenario | operations | crash points | states constructed | distinct | after the ack | checked | old | new | nothing | failed |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (CrashSpace space in spaces)
        {
            List<CrashCheck> mine = [.. checks.Where(c => c.Case.Scenario == space.Scenario)];
            text.AppendLine(inv, $"| {space.Scenario.Name} | {space.Scenario.Operations.Count} | {space.CrashPoints} | {space.Constructed} | {space.Distinct.Count} | {space.Distinct.Count(c => c.MustBeNew)} | {mine.Count} | {mine.Count(c => c.Served == "old")} | {mine.Count(c => c.Served == "new")} | {mine.Count(c => c.Served == "nothing")} | {mine.Count(c => c.Failure is not null)} |");
        }

        text.AppendLine(inv, $"| **total** | {spaces.Sum(s => s.Scenario.Operations.Count)} | {spaces.Sum(s => s.CrashPoints)} | {spaces.Sum(s => s.Constructed)} | {spaces.Sum(s => s.Distinct.Count)} | {spaces.Sum(s => s.Distinct.Count(c => c.MustBeNew))} | {checks.Count} | {checks.Count(c => c.Served == "old")} | {checks.Count(c => c.Served == "new")} | {checks.Count(c => c.Served == "nothing")} | {checks.Count(c => c.Failure is not null)} |");
        text.AppendLine();
        text.AppendLine(inv, $"Largest pending write: {spaces.Max(s => s.LargestWriteBlocks)} blocks of {PersistenceModel.BlockSize} bytes; most pending entry changes in one directory: {spaces.Max(s => s.LargestPendingDirectoryChanges)}; unreadable states moved aside: {checks.Count(c => c.MovedAside)}; durability violations (an acknowledged file missing after the acknowledgement): {spaces.Sum(s => s.DurabilityViolations.Count)}.");
        if (checks.Count > 0)
        {
            List<double> seconds = [.. checks.Select(c => c.Duration.TotalSeconds).Order()];
            text.AppendLine(inv, $"Per daemon check: median {seconds[seconds.Count / 2]:F2} s, max {seconds[^1]:F2} s.");
        }

        foreach (CrashCheck failed in checks.Where(c => c.Failure is not null))
        {
            text.AppendLine().AppendLine(failed.ToString());
        }

        foreach (string violation in spaces.SelectMany(s => s.DurabilityViolations))
        {
            text.AppendLine().AppendLine("durability: " + violation);
        }

        return text.ToString();
    }

    /// <summary>Each scenario's trace as logical operations, paths relative to its root.</summary>
    public static string Operations(IReadOnlyList<CrashSpace> spaces)
    {
        var text = new StringBuilder();
        foreach (RecordedScenario scenario in spaces.Select(s => s.Scenario))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"{scenario.Name} ({scenario.Operations.Count} operations):");
            foreach (FsOp op in scenario.Operations)
            {
                text.AppendLine("  " + op.ToString().Replace(scenario.Root + "/", string.Empty, StringComparison.Ordinal).Replace(scenario.Root, ".", StringComparison.Ordinal));
            }
        }

        return text.ToString();
    }
}
