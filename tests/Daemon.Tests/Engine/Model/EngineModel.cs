using System.Collections.Immutable;
using Provisioning.Daemon.Engine;
using Provisioning.Daemon.Model;

namespace Provisioning.Daemon.Tests.Engine.Model;

/// <summary>
/// The reference model of the engine's state machine, written from docs/architecture.md and the engine's contract
/// rather than from its code: single flight, the phases of a run, the status an answer leaves, the stored
/// provisioning with its chosen slots (kept across restarts), when it runs by itself (boot delay, refresh, rerun),
/// and one sequence number per published change.
/// </summary>
internal sealed class EngineModel
{
    private readonly List<string> _results = [];

    private EngineModel(DateTimeOffset now, ProvisioningDocument? stored, ImmutableSortedDictionary<string, int> indexes)
    {
        Now = now;
        Stored = stored;
        Indexes = indexes;
        Restore();
    }

    public DateTimeOffset Now { get; private set; }

    public ProvisioningDocument? Stored { get; private set; }

    public ImmutableSortedDictionary<string, int> Indexes { get; private set; }

    public bool RunInFlight { get; private set; }

    private long Sequence { get; set; }

    private EnginePhase Phase { get; set; }

    private int Status { get; set; }

    private ImmutableArray<string> Labels { get; set; }

    private int Attempts { get; set; }

    private DateTimeOffset? NextAttemptAt { get; set; }

    private string? LastError { get; set; }

    /// <summary>When the engine starts a run by itself; null when it does not.</summary>
    private DateTimeOffset? RunsAt { get; set; }

    public static EngineModel Start(DateTimeOffset now, ProvisioningDocument? stored, ImmutableSortedDictionary<string, int> indexes) =>
        new(now, stored, indexes);

    public void Provision() => _results.Add($"provision {StartRun()}");

    public void SetIndex(string? label, int? index) => _results.Add($"index {label} {index} {ApplyIndex(label, index)}");

    public void ReadKey(string label) => _results.Add(Key(label));

    public void Advance(TimeSpan by)
    {
        Now += by;
        if (RunsAt is { } at && at <= Now && !RunInFlight)
        {
            StartRun();
        }
    }

    public void Answer(BackOfficeAnswer answer)
    {
        if (!RunInFlight)
        {
            return;
        }

        switch (answer.Kind)
        {
            case AnswerKind.AttemptStarted:
                Publish(EnginePhase.Running, attempts: Attempts + 1, next: null);
                break;
            case AnswerKind.AttemptFailed:
                Status = FailureStatus(answer.Status);
                LastError = answer.Reason;
                Publish(EnginePhase.RetryWait, Attempts, Now + ModelSettings.NextRequest);
                break;
            case AnswerKind.Accepted:
                Publish(EnginePhase.Polling, Attempts, Now + ModelSettings.NextRequest);
                break;
            case AnswerKind.Provisioned:
                ProvisioningDocument document = ModelSettings.Document(Now, answer.Document);
                Stored = document;
                Indexes = Indexes.Where(p => document.Find(p.Key)?.HasSlot(p.Value) == true).ToImmutableSortedDictionary(StringComparer.Ordinal);
                Status = 200;
                LastError = null;
                EndRun();
                break;
            case AnswerKind.Rejected:
                Status = answer.Status;
                LastError = answer.Reason;
                EndRun();
                break;
            case AnswerKind.GaveUp:
                Status = FailureStatus(answer.Status);
                LastError = answer.Reason;
                EndRun();
                break;
        }
    }

    /// <summary>The daemon stops (a run in flight is cancelled and stores nothing) and starts again on the same state directory.</summary>
    public void Restart()
    {
        RunInFlight = false;
        Restore();
    }

    public Observed Observe(bool resultsInAnyOrder) => new(
        Sequence,
        Phase,
        Status,
        Observed.Join(Labels),
        Observed.JoinIndexes(Indexes),
        Attempts,
        NextAttemptAt,
        LastError,
        Stored?.Issued,
        Stored?.Expires,
        Observed.Join(ModelSettings.AskedLabels.Select(Key)),
        Observed.Join(resultsInAnyOrder ? _results.Order(StringComparer.Ordinal) : _results),
        Gapless: true);

    /// <summary>What was observed after each step of a sequence (see <see cref="Step"/>).</summary>
    public List<Observed> History { get; } = [];

    /// <summary>One step of a sequence, and what it left.</summary>
    public void Step(Action step)
    {
        step();
        History.Add(Observe(resultsInAnyOrder: false));
    }

    public override string ToString() => Observe(resultsInAnyOrder: false).ToString();

    private void Restore()
    {
        // A new process: a new stream of changes, the stored provisioning with the status it was stored with.
        Sequence = 1;
        Status = Stored is null ? 0 : 200;
        Labels = [.. Stored?.SortedLabels() ?? []];
        Attempts = 0;
        LastError = null;
        (DateTimeOffset At, bool Boot)? plan = Plan(atBoot: true);
        RunsAt = plan?.At;
        NextAttemptAt = plan?.At;
        Phase = plan is { Boot: true } ? EnginePhase.BootDelay : EnginePhase.Idle;
    }

    private EngineError StartRun()
    {
        if (RunInFlight)
        {
            return EngineError.InProgress;
        }

        RunInFlight = true;
        RunsAt = null;
        LastError = null;
        Publish(EnginePhase.Running, attempts: 0, next: null);
        return EngineError.None;
    }

    private void EndRun()
    {
        RunInFlight = false;
        Labels = [.. Stored?.SortedLabels() ?? []];
        (DateTimeOffset At, bool Boot)? plan = Plan(atBoot: false);
        RunsAt = plan?.At;
        Publish(EnginePhase.Idle, Attempts, plan?.At);
    }

    private EngineError ApplyIndex(string? label, int? index)
    {
        if (Stored is not { } document)
        {
            return EngineError.NotProvisioned;
        }

        List<LabelKeys> targets = label is null ? [.. document.Labels] : [.. document.Labels.Where(l => l.Label == label)];
        if (targets.Count == 0)
        {
            return EngineError.UnknownLabel;
        }

        int slot = index ?? 0;
        if (targets.Any(t => slot < 0 || slot >= t.Keys.Count))
        {
            return EngineError.IndexOutOfRange;
        }

        ImmutableSortedDictionary<string, int> chosen = Indexes.SetItems(targets.Select(t => KeyValuePair.Create(t.Label, slot)));
        if (!chosen.SequenceEqual(Indexes))
        {
            Indexes = chosen;
            Publish(Phase, Attempts, NextAttemptAt);
        }

        return EngineError.None;
    }

    private string Key(string label)
    {
        if (Stored is not { } document)
        {
            return Observed.Key(label, EngineError.NotProvisioned, 0, default);
        }

        if (document.Find(label) is not { } keys)
        {
            return Observed.Key(label, EngineError.UnknownLabel, 0, default);
        }

        int slot = Indexes.GetValueOrDefault(label);
        return Observed.Key(label, EngineError.None, slot, keys.Keys[slot]);
    }

    /// <summary>
    /// When to run by itself: nothing valid stored, after the boot delay (at start) or the rerun delay; a provisioning
    /// that expires, at the refresh point (the boot delay or the rerun delay when that is past); one that never
    /// expires, never.
    /// </summary>
    private (DateTimeOffset At, bool Boot)? Plan(bool atBoot)
    {
        TimeSpan again = atBoot ? ModelSettings.BootMaxDelay * ModelSettings.Random : ModelSettings.RerunDelay;
        if (Stored is null || Stored.Expires <= Now)
        {
            return (Now + again, atBoot);
        }

        if (Stored.Expires is not { } expires)
        {
            return null;
        }

        DateTimeOffset refreshAt = Stored.Issued + ((expires - Stored.Issued) * ModelSettings.RefreshFraction);
        return refreshAt > Now ? (refreshAt, false) : (Now + again, false);
    }

    // A failed attempt or run with no answer (0), or with a 200 that was not usable, leaves the status as it was.
    private int FailureStatus(int answered) => answered is 0 or 200 ? Status : answered;

    private void Publish(EnginePhase phase, int attempts, DateTimeOffset? next)
    {
        Phase = phase;
        Attempts = attempts;
        NextAttemptAt = next;
        Sequence++;
    }
}
