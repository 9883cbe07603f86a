using Provisioning.Daemon.BackOffice;
using Provisioning.Daemon.State;

namespace Provisioning.Daemon.Engine;

internal sealed partial class ProvisioningEngine
{
    /// <summary>Runs once at start, before the loop and before the listeners: readiness means the state is restored.</summary>
    private void Restore()
    {
        // Resolved here, not in the constructor: hosted services are built before options are validated,
        // and the client reads its options when it is created; resolved at start, every bad setting of
        // every section is reported together.
        _client = _services.GetRequiredService<BackOfficeClient>();
        (string? id, string? identityProblem) = _identity.Resolve();
        _provisionId = id;
        _unavailableReason = identityProblem;
        if (id is not null)
        {
            try
            {
                _stored = _store.Load(id);
                _storeUsable = true;
            }
            catch (StateStoreException exception)
            {
                _unavailableReason = exception.Message;
            }
        }

        if (_unavailableReason is null && !_client.IsConfigured)
        {
            _unavailableReason = "BackOffice:Url is not configured";
        }

        if (_unavailableReason is not null)
        {
            EngineLog.Unavailable(_logger, _unavailableReason);
        }

        StoredState stored = _stored;
        Schedule? plan = _unavailableReason is null ? PlanNext(atBoot: true) : null;
        Publish(
            state => state with
            {
                Id = id ?? string.Empty,
                Status = stored.Status,
                Tokens = [.. stored.Provisioning?.SortedLabels() ?? []],
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

    private bool IsAvailable => _unavailableReason is null;
}
