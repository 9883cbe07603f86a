using System.Globalization;

namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>
/// Which crash states a run starts the daemon on: all of them, or a seeded sample that takes from every
/// scenario in turn. PROVISIONINGD_CRASH_SAMPLE ("all" or a count) and PROVISIONINGD_CRASH_SEED override the
/// defaults; the seed is printed so a failing sample can be run again.
/// </summary>
internal sealed record CrashSample(int? Count, int Seed)
{
    public const string CountVariable = "PROVISIONINGD_CRASH_SAMPLE";
    public const string SeedVariable = "PROVISIONINGD_CRASH_SEED";
    public const string ReportVariable = "PROVISIONINGD_CRASH_REPORT";

    public static CrashSample FromEnvironment(int defaultCount)
    {
        string? count = Environment.GetEnvironmentVariable(CountVariable);
        string? seed = Environment.GetEnvironmentVariable(SeedVariable);
        return new CrashSample(
            count is "all" ? null : count is { Length: > 0 } ? int.Parse(count, CultureInfo.InvariantCulture) : defaultCount,
            seed is { Length: > 0 } ? int.Parse(seed, CultureInfo.InvariantCulture) : Random.Shared.Next());
    }

    /// <summary>
    /// The cases to check: every scenario in turn, each alternating between states after the acknowledgement
    /// (only the new provisioning is right) and before it, which kind first decided by the seed.
    /// </summary>
    public IReadOnlyList<CrashCase> Take(IEnumerable<CrashSpace> spaces)
    {
        var random = new Random(Seed);
        List<Queue<CrashCase>> queues = [.. spaces.Select((space, k) =>
        {
            List<CrashCase> shuffled = [.. space.Distinct.OrderBy(_ => random.Next())];
            List<CrashCase> after = [.. shuffled.Where(c => c.MustBeNew)];
            List<CrashCase> before = [.. shuffled.Where(c => !c.MustBeNew)];
            (List<CrashCase> first, List<CrashCase> second) = (k + Seed) % 2 == 0 ? (after, before) : (before, after);
            var alternating = new List<CrashCase>();
            for (int i = 0; i < Math.Max(first.Count, second.Count); i++)
            {
                alternating.AddRange(first.Skip(i).Take(1).Concat(second.Skip(i).Take(1)));
            }

            return new Queue<CrashCase>(alternating);
        })];
        var taken = new List<CrashCase>();
        while (queues.Any(q => q.Count > 0) && (Count is null || taken.Count < Count))
        {
            foreach (Queue<CrashCase> queue in queues.Where(q => q.Count > 0))
            {
                if (Count is null || taken.Count < Count)
                {
                    taken.Add(queue.Dequeue());
                }
            }
        }

        return taken;
    }

    public override string ToString() => $"{(Count is null ? "all states" : $"a sample of {Count}")}, seed {Seed} ({SeedVariable}={Seed} {CountVariable}={(Count is null ? "all" : Count)} repeats it)";
}
