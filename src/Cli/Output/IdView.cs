namespace Provisioning.Cli.Output;

/// <summary>What `id --json` reports.</summary>
internal sealed record IdView(string Id);
