namespace Provisioning.Cli.Output;

/// <summary>The --json form of `index`: the slot now chosen for the label.</summary>
internal sealed record IndexView(string Label, int Index);
