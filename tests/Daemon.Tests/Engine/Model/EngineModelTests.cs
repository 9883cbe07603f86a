using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using CsCheck;
using Provisioning.Daemon.Model;
using Provisioning.Daemon.Tests.Fuzz;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Engine.Model;

/// <summary>
/// The engine against its reference model (<see cref="EngineModel"/>): random sequences of caller commands (provision,
/// set index, read a key), time passing, restarts and back-office answers, compared after every step; and callers at
/// once, whose answers and final state must be those of some order of the same calls one after another
/// (linearizability). All on a fake clock, so a sequence of days takes milliseconds.
/// </summary>
public sealed class EngineModelTests : IDisposable
{
    // State directories on tmpfs where there is one: each provisioning and slot change is a durable (fsynced) write.
    private readonly string _root = Path.Combine(
        Directory.Exists("/dev/shm") ? "/dev/shm" : Path.GetTempPath(), "pvd-model-" + Guid.NewGuid().ToString("N")[..12]);

    private readonly ConcurrentBag<EngineUnderTest> _engines = [];

    private int _sequences;

    private static Gen<DocumentSpec> Specs { get; } = Gen.Select(
        Gen.Int[1, 15],
        Gen.Int[1, 3].Array[ModelSettings.Labels.Length],
        Gen.OneOf(TimeSpan.Zero, TimeSpan.FromHours(2), TimeSpan.FromDays(400)),
        Gen.OneOf<TimeSpan?>(null, TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromDays(30), TimeSpan.FromDays(365)),
        Gen.Byte,
        (mask, keys, issuedAgo, lifetime, generation) => new DocumentSpec(mask, keys, issuedAgo, lifetime, generation));

    private static Gen<string?> AskedLabel { get; } = Gen.OneOf<string?>([null, .. ModelSettings.AskedLabels]);

    private static Gen<BackOfficeAnswer> Answers { get; } = Gen.Select(
        Gen.Enum<AnswerKind>(),
        Gen.OneOf(0, 200, 400, 404, 409, 429, 500, 503),
        Specs,
        (kind, status, spec) => new BackOfficeAnswer(kind, status, spec));

    private static Gen<TimeSpan> Durations { get; } = Gen.OneOf(
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1),
        TimeSpan.FromDays(1), TimeSpan.FromDays(30), TimeSpan.FromDays(300));

    [Fact]
    public void RandomCommandsTimeRestartsAndAnswers_EngineAndModelAgreeAfterEveryStep()
    {
        var clock = Stopwatch.StartNew();

        Initial(resultsInAnyOrder: false).SampleModelBased(
            [
                Gen.Const(0).Operation<EngineUnderTest, EngineModel>(_ => "provision", (a, _) => a.Step(a.Provision), (m, _) => m.Step(m.Provision)),
                Gen.Select(AskedLabel, Gen.OneOf<int?>(null, -1, 0, 1, 2, 3)).Operation<EngineUnderTest, EngineModel>(
                    t => $"index {t.Item1 ?? "(all)"} {t.Item2?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}",
                    (a, t) => a.Step(() => a.SetIndex(t.Item1, t.Item2)),
                    (m, t) => m.Step(() => m.SetIndex(t.Item1, t.Item2))),
                Gen.OneOf(ModelSettings.AskedLabels).Operation<EngineUnderTest, EngineModel>(l => $"key {l}", (a, l) => a.Step(() => a.ReadKey(l)), (m, l) => m.Step(() => m.ReadKey(l))),
                Durations.Operation<EngineUnderTest, EngineModel>(d => $"advance {d}", (a, d) => a.Step(() => a.Advance(d)), (m, d) => m.Step(() => m.Advance(d))),
                Answers.Operation<EngineUnderTest, EngineModel>(x => $"answer {x}", (a, x) => a.Step(() => a.Answer(x)), (m, x) => m.Step(() => m.Answer(x))),
                Answers.Operation<EngineUnderTest, EngineModel>(x => $"answer {x}", (a, x) => a.Step(() => a.Answer(x)), (m, x) => m.Step(() => m.Answer(x))),
                Gen.Const(0).Operation<EngineUnderTest, EngineModel>(_ => "restart", (a, _) => a.Step(a.Restart), (m, _) => m.Step(m.Restart)),
            ],
            equal: (actual, model) => actual.History.SequenceEqual(model.History),
            seed: Seeds.Engine,
            iter: 1_000,
            threads: 1,
            printActual: actual => "\n    " + string.Join("\n    ", actual.History),
            printModel: model => "\n    " + string.Join("\n    ", model.History));

        TestContext.Current.TestOutputHelper?.WriteLine($"{_sequences} sequences, {_engines.Sum(e => e.History.Count)} steps in {clock.Elapsed.TotalSeconds:F1} s");
    }

    [Fact]
    public void CallersAtOnce_AnswersAndStateAreThoseOfSomeOrderOfTheSameCalls()
    {
        var clock = Stopwatch.StartNew();
        Gen<BackOfficeAnswer> endings = Answers.Where(a => a.Kind is AnswerKind.Provisioned or AnswerKind.Rejected or AnswerKind.GaveUp);

        Initial(resultsInAnyOrder: true).SampleParallel(
            [
                Gen.Const(0).Operation<EngineUnderTest, EngineModel>(_ => "provision", (a, _) => a.Provision(), (m, _) => m.Provision()),
                Gen.Select(AskedLabel, Gen.OneOf<int?>(null, 0, 1, 2)).Operation<EngineUnderTest, EngineModel>(
                    t => $"index {t.Item1 ?? "(all)"} {t.Item2?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}",
                    (a, t) => a.SetIndex(t.Item1, t.Item2),
                    (m, t) => m.SetIndex(t.Item1, t.Item2)),
                Gen.OneOf(ModelSettings.AskedLabels).Operation<EngineUnderTest, EngineModel>(l => $"key {l}", (a, l) => a.ReadKey(l), (m, l) => m.ReadKey(l)),
                endings.Operation<EngineUnderTest, EngineModel>(x => $"answer {x}", (a, x) => a.Answer(x), (m, x) => m.Answer(x)),
            ],
            equal: (actual, model) => actual.Observe(resultsInAnyOrder: true) == model.Observe(resultsInAnyOrder: true),
            seed: Seeds.Engine,
            iter: 150,
            threads: 1);

        TestContext.Current.TestOutputHelper?.WriteLine($"{_sequences} parallel samples in {clock.Elapsed.TotalSeconds:F1} s");
    }

    public void Dispose()
    {
        foreach (EngineUnderTest engine in _engines)
        {
            engine.Engine.Dispose();
        }

        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }
    }

    /// <summary>Nothing stored, or a stored provisioning (fresh, due for refresh or expired) with some slots chosen.</summary>
    private Gen<(EngineUnderTest, EngineModel)> Initial(bool resultsInAnyOrder) =>
        Gen.Select(Specs.Array[0, 1], Gen.Int[0, 2].Array[ModelSettings.Labels.Length], (stored, slots) =>
        {
            ProvisioningDocument? document = stored.Length == 0 ? null : ModelSettings.Document(ModelSettings.Start, stored[0]);
            ImmutableSortedDictionary<string, int> indexes = document is null
                ? ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal)
                : document.Labels.Select((l, i) => (l.Label, Slot: slots[i]))
                    .Where(x => x.Slot > 0 && x.Slot < document.Labels.First(l => l.Label == x.Label).Keys.Count)
                    .ToImmutableSortedDictionary(x => x.Label, x => x.Slot, StringComparer.Ordinal);
            string directory = Path.Combine(_root, Interlocked.Increment(ref _sequences).ToString(System.Globalization.CultureInfo.InvariantCulture));
            var actual = EngineUnderTest.Start(directory, document, indexes);
            _engines.Add(actual);
            return (actual, EngineModel.Start(ModelSettings.Start, document, indexes));
        });
}
