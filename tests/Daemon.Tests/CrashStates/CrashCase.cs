namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>
/// One distinct on-disk state a scenario's power cut may leave: the first crash point that produces it,
/// whether some crash point producing it comes after the acknowledgement (then only the new provisioning is
/// acceptable), and how many persistence choices lead to it.
/// </summary>
internal sealed record CrashCase(RecordedScenario Scenario, int Point, bool MustBeNew, FileTree Tree, string Choices, int Ways)
{
    public string Where => Point == 0 ? "before the first operation"
        : $"after operation {Point} ({Scenario.Operations[Point - 1]}, trace line {Scenario.Operations[Point - 1].Line})";

    public override string ToString() => $"{Scenario.Name} {Where}{(MustBeNew ? ", after the acknowledgement" : string.Empty)}: {Choices}";
}
