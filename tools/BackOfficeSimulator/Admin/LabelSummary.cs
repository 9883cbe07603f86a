namespace Provisioning.BackOfficeSimulator;

internal sealed record LabelSummary(string Label, int KeyCount);
