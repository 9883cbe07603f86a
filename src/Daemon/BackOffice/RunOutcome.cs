using Provisioning.Daemon.Model;

namespace Provisioning.Daemon.BackOffice;

/// <summary>How one provisioning run against the back office ended.</summary>
internal abstract record RunOutcome(int Status, string? Error)
{
    /// <summary>200 with a valid Provisioning for this device.</summary>
    internal sealed record Provisioned(ProvisioningDocument Document) : RunOutcome(200, null);

    /// <summary>A permanent answer (400, 401, 403, 404, 409, 410, 422): the run ends at once, no retry.</summary>
    internal sealed record Rejected(int RejectedStatus, string Reason) : RunOutcome(RejectedStatus, Reason);

    /// <summary>
    /// The run's budget was spent (or the run was cancelled) on transient failures.
    /// Status is the latest transient answer's status, 0 when no answer was received.
    /// </summary>
    internal sealed record GaveUp(int LastStatus, string Reason) : RunOutcome(LastStatus, Reason);
}
