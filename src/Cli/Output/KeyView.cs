namespace Provisioning.Cli.Output;

/// <summary>What `key --json` reports: where the key went, never the key.</summary>
internal sealed record KeyView(string Label, int Slot, int Bytes, string Path);
