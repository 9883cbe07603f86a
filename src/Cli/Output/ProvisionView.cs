namespace Provisioning.Cli.Output;

/// <summary>What `provision --json` reports.</summary>
internal sealed record ProvisionView(bool Completed, StateView State);
