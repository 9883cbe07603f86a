namespace Provisioning.BackOfficeSimulator;

/// <summary>One label of a Provisioning; byte arrays serialize as base64.</summary>
internal sealed record TokenBody(string Label, IReadOnlyList<byte[]> Keys);
