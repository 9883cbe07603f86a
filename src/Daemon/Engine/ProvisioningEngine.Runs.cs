using Provisioning.Daemon.BackOffice;
using Provisioning.Daemon.Model;
using Provisioning.Daemon.State;

namespace Provisioning.Daemon.Engine;

internal sealed partial class ProvisioningEngine
{
    private ProvisionStart TryStartRun(RunTrigger trigger)
    {
        if (!IsAvailable || _stopping)
        {
            EngineLog.RunRefused(_logger, trigger, "unavailable");
            return new ProvisionStart(EngineError.Unavailable, null);
        }

        if (_run is not null)
        {
            EngineLog.RunRefused(_logger, trigger, "a run is in progress");
            return new ProvisionStart(EngineError.InProgress, null);
        }

        DisposeSchedule();
        var run = new RunContext(trigger);
        _run = run;
        EngineLog.RunStarted(_logger, trigger, run.IdempotencyKey);
        Publish(state => state with { Phase = EnginePhase.Running, Attempts = 0, NextAttemptAt = null, LastError = null }, StateChange.RunStarted);
        string provisionId = _provisionId!;
        run.Execution = Task.Run(() => ExecuteRunAsync(run, provisionId));
        return new ProvisionStart(EngineError.None, run.Completion.Task);
    }

    /// <summary>Runs outside the loop; reports back to it through commands only.</summary>
    private async Task ExecuteRunAsync(RunContext run, string provisionId)
    {
        RunOutcome outcome;
        try
        {
            outcome = await Parts.BackOffice!.RunAsync(
                new ProvisionRequest(provisionId, run.IdempotencyKey),
                report => Post(new EngineCommand.Progress(run, report)),
                run.Cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            outcome = new RunOutcome.GaveUp(0, "the run was cancelled");
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            EngineLog.ClientFailed(_logger, exception);
            outcome = new RunOutcome.GaveUp(0, "the back-office client failed unexpectedly");
        }

        if (!Post(new EngineCommand.RunFinished(run, outcome)))
        {
            run.Completion.TrySetResult(Current);
        }
    }

    private void OnProgress(RunContext run, RunProgress report)
    {
        if (!ReferenceEquals(run, _run))
        {
            return;
        }

        switch (report.Kind)
        {
            case RunProgressKind.AttemptStarted:
                Publish(state => state with { Phase = EnginePhase.Running, Attempts = report.Attempt, NextAttemptAt = null }, StateChange.AttemptStarted);
                break;
            case RunProgressKind.AttemptFailed:
                EngineLog.AttemptFailed(_logger, report.Attempt, report.Status, report.Reason, report.NextAttemptAt);
                Publish(
                    state => state with
                    {
                        Status = FailureStatus(report.Status, state.Status),
                        Phase = EnginePhase.RetryWait,
                        Attempts = report.Attempt,
                        NextAttemptAt = report.NextAttemptAt,
                        LastError = report.Reason,
                    },
                    StateChange.AttemptFailed);
                break;
            case RunProgressKind.Accepted:
                Publish(state => state with { Phase = EnginePhase.Polling, NextAttemptAt = report.NextAttemptAt }, StateChange.Accepted);
                break;
        }
    }

    private void OnRunFinished(RunContext run, RunOutcome outcome)
    {
        if (!ReferenceEquals(run, _run))
        {
            return;
        }

        _run = null;
        Func<EngineState, EngineState> ended = outcome switch
        {
            RunOutcome.Provisioned provisioned => Store(provisioned.Document),
            RunOutcome.Rejected rejected => state => state with { Status = rejected.Status, LastError = rejected.Reason },
            _ => state => state with { Status = FailureStatus(outcome.Status, state.Status), LastError = outcome.Error },
        };
        Schedule? next = _stopping ? null : Parts.Planner.Plan(_stored.Provisioning, _time.GetUtcNow(), atBoot: false);
        Arm(next);
        EngineState final = Publish(state => ended(state) with { Phase = EnginePhase.Idle, NextAttemptAt = next?.At }, StateChange.RunEnded);
        LogEnd(run, outcome, final);
        run.Completion.TrySetResult(final);
        run.Dispose();
    }

    /// <summary>The end of a run, logged once: provisioned only when the new provisioning is also stored.</summary>
    private void LogEnd(RunContext run, RunOutcome outcome, EngineState final)
    {
        string outcomeName = outcome switch
        {
            RunOutcome.Provisioned when final.LastError is null => string.Empty,
            RunOutcome.Provisioned => "not stored",
            RunOutcome.Rejected => "rejected",
            _ => "gave up",
        };
        if (outcomeName.Length == 0)
        {
            EngineLog.RunProvisioned(_logger, run.IdempotencyKey, run.Trigger, final.Labels.Length, final.Attempts);
            return;
        }

        EngineLog.RunFailed(_logger, run.IdempotencyKey, run.Trigger, outcomeName, final.Attempts, outcome.Status, final.LastError ?? string.Empty);
    }

    /// <summary>Writes a new provisioning; on failure the previous one stays in place and the run counts as failed.</summary>
    private Func<EngineState, EngineState> Store(ProvisioningDocument document)
    {
        var indexes = document.KeepExistingSlots(_stored.Indexes);
        var stored = new StoredState(document, indexes, 200);
        try
        {
            _store.Save(stored, _provisionId!);
        }
        catch (StateStoreException exception)
        {
            return state => state with { LastError = "storing the provisioning failed: " + exception.Message };
        }

        _stored = stored;
        return state => state with
        {
            Status = 200,
            Labels = [.. document.SortedLabels()],
            Issued = document.Issued,
            Expires = document.Expires,
            Indexes = indexes,
            LastError = null,
        };
    }

    /// <summary>
    /// The status a failed attempt or run leaves: its answer's status, or the previous one when there was
    /// no answer. A malformed 200 is a failure, and callers read 200 as success, so it never shows as 200.
    /// </summary>
    // docs/backoffice-protocol.md, "What status means to callers": a failed attempt or run shows its 4xx/5xx; a
    // network failure or a malformed answer (a 200 or 202 whose body is unusable, another 1xx or 2xx) leaves the
    // status as it was, so that no failure ever reads as a success or "accepted".
    private static int FailureStatus(int answered, int previous) => answered is >= 400 and <= 599 ? answered : previous;
}
