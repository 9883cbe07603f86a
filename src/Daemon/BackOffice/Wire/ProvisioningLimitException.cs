using System.Text.Json;

namespace Provisioning.Daemon.BackOffice.Wire;

/// <summary>
/// A Provisioning that goes past one of the protocol's counts (labels, keys of a label), found while it is read:
/// reading stops there, so that an answer of many tiny labels or keys allocates no more than the largest valid one.
/// </summary>
internal sealed class ProvisioningLimitException(string problem) : JsonException(problem);
