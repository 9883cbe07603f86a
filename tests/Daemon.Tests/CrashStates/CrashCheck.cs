namespace Provisioning.Daemon.Tests.CrashStates;

/// <summary>What the daemon did on one crash state: what it served (old, new, nothing or what else), and why that fails, if it does.</summary>
internal sealed record CrashCheck(CrashCase Case, string Served, bool MovedAside, string? Failure, TimeSpan Duration)
{
    public override string ToString() =>
        $"{Case}\n  served {Served}{(MovedAside ? " (the unreadable state was moved aside)" : string.Empty)}" +
        (Failure is null ? string.Empty : $"\n  FAILED: {Failure}\n  state directory:\n    {Case.Tree.Describe().Replace("\n", "\n    ", StringComparison.Ordinal)}");
}
