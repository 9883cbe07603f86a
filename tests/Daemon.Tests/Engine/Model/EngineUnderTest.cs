using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Provisioning.Daemon.BackOffice;
using Provisioning.Daemon.Engine;
using Provisioning.Daemon.Identity;
using Provisioning.Daemon.Model;
using Provisioning.Daemon.State;
using Provisioning.Daemon.Tests.State;

namespace Provisioning.Daemon.Tests.Engine.Model;

/// <summary>
/// The real engine (its loop, a real state store in a real folder) on a fake clock, with the back office played by
/// <see cref="ScriptedRuns"/>: the "actual" of the model-based tests. Every operation returns once the engine has
/// handled it, so the state it leaves can be compared with the model's.
/// </summary>
internal sealed class EngineUnderTest
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string _directory;

    // The engine's store: the daemon's container disposes it with the engine (its lock on the folder goes with it).
    private StateStore? _store;
    private readonly Lock _answers = new();
    private readonly ConcurrentQueue<string> _results = new();
    private ScriptedRuns _backOffice = new();
    private ScriptedRuns.PendingRun? _pending;
    private StateSubscription _subscription = null!;
    private long _lastSeen;
    private bool _gapless = true;
    private readonly Lock _observing = new();

    private EngineUnderTest(string directory, FakeTimeProvider time)
    {
        _directory = directory;
        Time = time;
        StartEngine();
    }

    public FakeTimeProvider Time { get; }

    public ProvisioningEngine Engine { get; private set; } = null!;

    /// <summary>An engine whose state directory holds <paramref name="stored"/> (nothing when null), as an earlier run left it.</summary>
    public static EngineUnderTest Start(string directory, ProvisioningDocument? stored, ImmutableSortedDictionary<string, int> indexes)
    {
        if (stored is not null)
        {
            StoreSamples.CreateStore(directory).Save(new StoredState(stored, indexes, 200), ModelSettings.DeviceId);
        }

        return new EngineUnderTest(directory, new FakeTimeProvider(ModelSettings.Start));
    }

    public void Provision() => _results.Enqueue($"provision {Wait(Engine.ProvisionAsync()).Error}");

    public void SetIndex(string? label, int? index) => _results.Enqueue($"index {label} {index} {Wait(Engine.SetIndexAsync(label, index))}");

    public void ReadKey(string label) => _results.Enqueue(Key(label));

    public void Advance(TimeSpan by)
    {
        Time.Advance(by);
        Wait(Engine.PingAsync());
    }

    /// <summary>The back office's next step in the run in flight; nothing when the engine shows none. Answers are serialized.</summary>
    public void Answer(BackOfficeAnswer answer)
    {
        lock (_answers)
        {
            if (Engine.Current.Phase is not (EnginePhase.Running or EnginePhase.Polling or EnginePhase.RetryWait))
            {
                return;
            }

            ScriptedRuns.PendingRun run = _pending ??= Wait(_backOffice.NextAsync());
            DateTimeOffset now = Time.GetUtcNow();
            switch (answer.Kind)
            {
                case AnswerKind.AttemptStarted:
                    run.Report(new RunProgress(RunProgressKind.AttemptStarted, Engine.Current.Attempts + 1, 0, "attempt", now));
                    Wait(Engine.PingAsync());
                    return;
                case AnswerKind.AttemptFailed:
                    run.Report(new RunProgress(RunProgressKind.AttemptFailed, Engine.Current.Attempts, answer.Status, answer.Reason, now + ModelSettings.NextRequest));
                    Wait(Engine.PingAsync());
                    return;
                case AnswerKind.Accepted:
                    run.Report(new RunProgress(RunProgressKind.Accepted, Engine.Current.Attempts, 202, answer.Reason, now + ModelSettings.NextRequest));
                    Wait(Engine.PingAsync());
                    return;
            }

            RunOutcome outcome = answer.Kind switch
            {
                AnswerKind.Provisioned => new RunOutcome.Provisioned(ModelSettings.Document(now, answer.Document)),
                AnswerKind.Rejected => new RunOutcome.Rejected(answer.Status, answer.Reason),
                _ => new RunOutcome.GaveUp(answer.Status, answer.Reason),
            };
            using StateSubscription ends = Engine.Subscribe(capacity: 100_000);
            run.End(outcome);
            _pending = null;
            Wait(UntilRunEndedAsync(ends));
        }
    }

    /// <summary>Stops the daemon (cancelling a run in flight) and starts a new one on the same folder and clock.</summary>
    public void Restart()
    {
        Wait(Engine.StopAsync(CancellationToken.None));
        Engine.Dispose();
        _store?.Dispose();
        _subscription.Dispose();
        _pending = null;
        _backOffice = new ScriptedRuns();
        StartEngine();
    }

    public Observed Observe(bool resultsInAnyOrder)
    {
        // CsCheck may compare the final state against several orders at once, from several threads: the subscriber
        // is drained by one of them at a time (its channel has a single reader, and a gap is judged in order).
        lock (_observing)
        {
            return ObserveAlone(resultsInAnyOrder);
        }
    }

    private Observed ObserveAlone(bool resultsInAnyOrder)
    {
        EngineState current = Engine.Current;

        // The broadcaster makes a state current, then hands it to the subscribers: a change made on another thread
        // may be current a moment before the subscriber has it. Wait (bounded) for the subscriber to catch up.
        long patience = Environment.TickCount64 + 10_000;
        do
        {
            while (_subscription.Reader.TryRead(out EngineState? state))
            {
                _gapless &= state.Sequence == _lastSeen + 1;
                _lastSeen = state.Sequence;
            }
        }
        while (_lastSeen < current.Sequence && Environment.TickCount64 < patience && SpinWait());

        return new Observed(
            current.Sequence,
            current.Phase,
            current.Status,
            Observed.Join(current.Labels),
            Observed.JoinIndexes(current.Indexes),
            current.Attempts,
            current.NextAttemptAt,
            current.LastError,
            current.Issued,
            current.Expires,
            Observed.Join(ModelSettings.AskedLabels.Select(Key)),
            Observed.Join(resultsInAnyOrder ? _results.Order(StringComparer.Ordinal) : _results),
            _gapless && _lastSeen == current.Sequence);
    }

    private static bool SpinWait()
    {
        Thread.Sleep(1);
        return true;
    }

    /// <summary>What was observed after each step of a sequence (see <see cref="Step"/>).</summary>
    public List<Observed> History { get; } = [];

    /// <summary>One step of a sequence, and what it left.</summary>
    public void Step(Action step)
    {
        step();
        History.Add(Observe(resultsInAnyOrder: false));
    }

    public override string ToString() => Observe(resultsInAnyOrder: false).ToString();

    private static T Wait<T>(Task<T> task) => task.WaitAsync(Patience).GetAwaiter().GetResult();

    private static void Wait(Task task) => task.WaitAsync(Patience).GetAwaiter().GetResult();

    private static async Task UntilRunEndedAsync(StateSubscription subscription)
    {
        await foreach (EngineState state in subscription.Reader.ReadAllAsync())
        {
            if (state.Change == StateChange.RunEnded)
            {
                return;
            }
        }
    }

    private string Key(string label)
    {
        KeyLookup key = Engine.GetKey(label);
        return Observed.Key(label, key.Error, key.Slot, key.Key.Span);
    }

    private void StartEngine()
    {
        ScriptedRuns backOffice = _backOffice;
        RunPlanner planner = ModelSettings.Planner();
        Engine = new ProvisioningEngine(
            () => new EngineParts(backOffice, planner),
            _store = StoreSamples.CreateStore(_directory),
            new DeviceIdentity(Options.Create(new DeviceOptions { Id = ModelSettings.DeviceId })),
            Time,
            NullLogger<ProvisioningEngine>.Instance);
        Wait(Engine.StartAsync(CancellationToken.None));

        // A subscriber from the start: it must see every change, in order, with no gap.
        _subscription = Engine.Subscribe(capacity: 100_000);
        _gapless &= _subscription.Reader.TryRead(out EngineState? first) && first.Sequence == Engine.Current.Sequence;
        _lastSeen = first?.Sequence ?? 0;
    }
}
