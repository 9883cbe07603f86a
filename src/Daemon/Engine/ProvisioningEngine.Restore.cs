using Provisioning.Daemon.State;

namespace Provisioning.Daemon.Engine;

internal sealed partial class ProvisioningEngine
{
    private const string NoBackOffice = "BackOffice:Url is not configured";

    private bool IsAvailable => _unavailableReason is null;

    private EngineParts Parts => _parts ?? throw new InvalidOperationException("The engine has not started.");

    /// <summary>Runs once at start, before the loop and before the listeners: readiness means the state is restored.</summary>
    private void Restore()
    {
        _parts = _resolveParts();
        (string? id, string? identityProblem) = _identity.Resolve();
        _provisionId = id;
        _unavailableReason = identityProblem;
        if (id is not null)
        {
            try
            {
                _store.ClaimDirectory();
                _stored = _store.Load(id);
                _storeUsable = true;
            }
            catch (StateStoreException exception)
            {
                _unavailableReason = exception.Message;
            }
        }

        if (_unavailableReason is null && _parts.BackOffice is null)
        {
            _unavailableReason = NoBackOffice;
        }

        if (_unavailableReason is not null)
        {
            EngineLog.Unavailable(_logger, _unavailableReason);
        }

        StoredState stored = _stored;
        Schedule? plan = IsAvailable ? Parts.Planner.Plan(stored.Provisioning, _time.GetUtcNow(), atBoot: true) : null;
        Publish(
            state => state with
            {
                Id = id ?? string.Empty,
                Status = stored.Status,
                Labels = [.. stored.Provisioning?.SortedLabels() ?? []],
                Issued = stored.Provisioning?.Issued,
                Expires = stored.Provisioning?.Expires,
                Indexes = stored.Indexes,
                Phase = _unavailableReason is not null ? EnginePhase.Unavailable
                    : plan is { Trigger: RunTrigger.Boot } ? EnginePhase.BootDelay
                    : EnginePhase.Idle,
                NextAttemptAt = plan?.At,
                LastError = _unavailableReason,
            },
            StateChange.Restored);
        Arm(plan);
    }
}
