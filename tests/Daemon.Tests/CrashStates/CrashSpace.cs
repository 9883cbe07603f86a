namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>
/// Every crash state of one recorded scenario: at each crash point (before the first operation, after each
/// one) every state the persistence model allows, deduplicated. Also checks, without starting anything, that
/// what the daemon acknowledged is durable: every file the process saw at the acknowledgement is there, byte
/// for byte, in every crash state after it.
/// </summary>
internal sealed class CrashSpace
{
    private CrashSpace(RecordedScenario scenario)
    {
        Scenario = scenario;
    }

    public RecordedScenario Scenario { get; }

    public int CrashPoints => Scenario.Operations.Count + 1;

    /// <summary>States constructed over all crash points, duplicates included.</summary>
    public long Constructed { get; private set; }

    public IReadOnlyList<CrashCase> Distinct { get; private set; } = [];

    /// <summary>Distinct crash states after the acknowledgement that lack an acknowledged file, with what is missing.</summary>
    public IReadOnlyList<string> DurabilityViolations { get; private set; } = [];

    /// <summary>The folder the model ends with; equal to the real one when the trace missed nothing.</summary>
    public FileTree ModelFinal { get; private set; } = new([]);

    public int LargestWriteBlocks { get; private set; }

    public int LargestPendingDirectoryChanges { get; private set; }

    public static CrashSpace Enumerate(RecordedScenario scenario)
    {
        var space = new CrashSpace(scenario);
        var model = new PersistenceModel(scenario.Root, scenario.Initial, scenario.Umask);
        var cases = new Dictionary<string, CrashCase>(StringComparer.Ordinal);
        var order = new List<string>();
        var violations = new Dictionary<string, string>(StringComparer.Ordinal);
        for (int point = 0; point <= scenario.Operations.Count; point++)
        {
            foreach (CrashCandidate candidate in model.CrashStates())
            {
                space.Constructed++;
                string hash = candidate.Tree.Hash;
                if (!cases.TryGetValue(hash, out CrashCase? known))
                {
                    cases[hash] = new CrashCase(scenario, point, model.Acknowledged, candidate.Tree, candidate.Choices, 1);
                    order.Add(hash);
                }
                else
                {
                    cases[hash] = model.Acknowledged && !known.MustBeNew
                        ? known with { Point = point, MustBeNew = true, Choices = candidate.Choices, Ways = known.Ways + 1 }
                        : known with { Ways = known.Ways + 1 };
                }

                if (model.AcknowledgedTree is { } acknowledged && Missing(acknowledged, candidate.Tree) is { } missing && !violations.ContainsKey(hash))
                {
                    violations[hash] = $"{cases[hash]}: {missing}";
                }
            }

            if (point < scenario.Operations.Count)
            {
                model.Apply(scenario.Operations[point]);
            }
        }

        space.Distinct = [.. order.Select(h => cases[h])];
        space.DurabilityViolations = [.. violations.Values];
        space.ModelFinal = model.Current();
        space.LargestWriteBlocks = model.LargestWriteBlocks;
        space.LargestPendingDirectoryChanges = model.LargestPendingDirectoryChanges;
        return space;
    }

    private static string? Missing(FileTree acknowledged, FileTree crashed)
    {
        foreach ((string path, TreeEntry entry) in acknowledged.Entries)
        {
            if (!crashed.Entries.TryGetValue(path, out TreeEntry? found))
            {
                return $"{path} is missing";
            }

            if (!entry.IsDirectory && !found.Content.AsSpan().SequenceEqual(entry.Content))
            {
                return $"{path} differs ({found.Content.Length} bytes instead of {entry.Content.Length})";
            }
        }

        return null;
    }
}
