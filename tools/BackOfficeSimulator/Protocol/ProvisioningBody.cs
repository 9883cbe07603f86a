namespace Provisioning.BackOfficeSimulator;

/// <summary>A Provisioning as sent on the wire. DateTime in UTC so it serializes with a "Z".</summary>
internal sealed record ProvisioningBody(string Id, DateTime Issued, DateTime? Expires, IReadOnlyList<TokenBody> Tokens);
