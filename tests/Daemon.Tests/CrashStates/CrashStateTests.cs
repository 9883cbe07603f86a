using System.Diagnostics;

namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>
/// Power cuts during the daemon's state writes, in the manner of ALICE (Pillai et al., OSDI 2014): the writes
/// of the real daemon are traced, every on-disk state the persistence model allows at every point is built,
/// and the daemon is started on them. CI checks a seeded sample; bench/crash/run.sh checks them all.
/// </summary>
public sealed class CrashStateTests(CrashStatesFixture fixture) : IClassFixture<CrashStatesFixture>
{
    /// <summary>Daemon starts in CI (one per scenario, 2-4 s each): a different sample every run, the seed printed.</summary>
    private const int CiSample = 6;

    [Fact]
    public void Traces_ReplayedThroughThePersistenceModel_EndWithTheFolderTheDaemonLeftAndOneAcknowledgement()
    {
        SkipWithoutStrace();

        Assert.Equal(["first", "reprovision", "index", "recovery", "first-encrypted", "rotation"], fixture.Spaces.Select(s => s.Scenario.Name));
        foreach (CrashSpace space in fixture.Spaces)
        {
            Assert.True(space.ModelFinal.Hash == space.Scenario.Final.Hash,
                $"{space.Scenario.Name}: the model ends with\n{space.ModelFinal.Describe()}\nbut the daemon left\n{space.Scenario.Final.Describe()}");
            Assert.Single(space.Scenario.Operations, op => op.Kind == FsOpKind.Acknowledged);
            Assert.Contains(space.Scenario.Operations, op => op.Kind == FsOpKind.Rename && op.Target!.EndsWith("/state.json", StringComparison.Ordinal));
            Assert.True(space.Distinct.Count > 1, $"{space.Scenario.Name}: only {space.Distinct.Count} crash state");
        }
    }

    [Fact]
    public void CrashStatesAfterTheAcknowledgement_HoldEveryFileTheDaemonHadWritten()
    {
        SkipWithoutStrace();

        string[] violations = [.. fixture.Spaces.SelectMany(s => s.DurabilityViolations)];

        Assert.True(violations.Length == 0, $"{violations.Length} crash states lose acknowledged data:\n" + string.Join("\n", violations.Take(5)));
    }

    [Fact]
    public void FirstProvisioning_InAStateDirectoryTheDaemonCreated_FlushesTheParentBeforeItAcknowledges()
    {
        SkipWithoutStrace();
        CrashSpace[] first = [.. fixture.Spaces.Where(s => !s.Scenario.Initial.Entries.ContainsKey(RecordedScenario.StateDirectoryName))];

        Assert.Equal(["first", "first-encrypted"], first.Select(s => s.Scenario.Name));
        foreach (CrashSpace space in first)
        {
            List<FsOp> ops = [.. space.Scenario.Operations];
            string root = space.Scenario.Root;
            int mkdir = ops.FindIndex(op => op.Kind == FsOpKind.Mkdir && op.Path == Path.Combine(root, RecordedScenario.StateDirectoryName));
            HashSet<int> rootHandles = [.. ops.Where(op => op.Kind == FsOpKind.Open && op.Path == root).Select(op => op.Handle)];
            int flush = ops.FindIndex(mkdir + 1, op => op.Kind == FsOpKind.Fsync && rootHandles.Contains(op.Handle));
            int acknowledged = ops.FindIndex(op => op.Kind == FsOpKind.Acknowledged);

            Assert.True(mkdir >= 0 && flush > mkdir && flush < acknowledged, $"{space.Scenario.Name}: mkdir at {mkdir}, fsync of {root} at {flush}, acknowledged at {acknowledged}:\n{string.Join('\n', ops)}");
            Assert.Empty(space.DurabilityViolations);
        }
    }

    [Fact]
    public async Task Daemon_StartedOnCrashStates_ServesTheOldOrTheNewProvisioningWholeOrProvisionsWhenNoneWasDurable()
    {
        SkipWithoutStrace();
        var sample = CrashSample.FromEnvironment(CiSample);
        TestContext.Current.TestOutputHelper?.WriteLine($"crash states: {sample}");
        IReadOnlyList<CrashCase> cases = sample.Take(fixture.Spaces);
        CrashStateChecker checker = fixture.Checker;

        var clock = Stopwatch.StartNew();
        var checks = new List<CrashCheck>();
        for (int i = 0; i < cases.Count; i++)
        {
            checks.Add(await checker.CheckAsync(cases[i], i));
        }

        string report = CrashReport.Write(fixture.Spaces, checks, sample, fixture.SetUpTime, clock.Elapsed);
        TestContext.Current.TestOutputHelper?.WriteLine(report);
        if (Environment.GetEnvironmentVariable(CrashSample.ReportVariable) is { Length: > 0 } reportPath)
        {
            await File.WriteAllTextAsync(reportPath, report + "\n" + CrashReport.Operations(fixture.Spaces));
        }

        CrashCheck[] failed = [.. checks.Where(c => c.Failure is not null)];
        Assert.True(failed.Length == 0, $"{failed.Length} of {checks.Count} crash states failed ({sample}):\n" + string.Join("\n", failed.Take(5)));
        Assert.Contains(checks, c => c.Served == "new");
    }

    private void SkipWithoutStrace()
    {
        if (fixture.SkipReason is { } reason)
        {
            Assert.Skip(reason);
        }
    }
}
