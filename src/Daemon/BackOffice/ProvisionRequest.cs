namespace Provisioning.Daemon.BackOffice;

/// <summary>One provisioning run's request. The idempotency key is the same for every attempt of the run.</summary>
internal sealed record ProvisionRequest(string ProvisionId, Guid IdempotencyKey);
