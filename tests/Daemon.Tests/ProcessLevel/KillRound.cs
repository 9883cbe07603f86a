namespace Provisioning.Daemon.Tests.ProcessLevel;

/// <summary>
/// One SIGKILL: how long after the first write it came, whether it interrupted a state write on disk (a
/// temporary file or a second key file was left), and what the store then loaded: whole, lost or corrupt.
/// </summary>
internal sealed record KillRound(int Round, int DelayMs, bool InsideWrite, string? Problem)
{
    public override string ToString() =>
        $"round {Round}: killed {DelayMs} ms after the first write{(InsideWrite ? ", inside a state write" : string.Empty)}: {Problem ?? "state whole"}";
}
