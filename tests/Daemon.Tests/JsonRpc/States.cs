using System.Collections.Immutable;
using Provisioning.Daemon.Engine;

namespace Provisioning.Daemon.Tests.JsonRpc;

/// <summary>Engine states as the engine publishes them, for driving the bridge's event hub directly.</summary>
internal static class States
{
    private static long s_sequence = 1000;

    public static EngineState Change(int status, bool isProvisioningChange = true) => new()
    {
        Sequence = Interlocked.Increment(ref s_sequence),
        Change = StateChange.RunEnded,
        Id = "WPE00000uCfrLF45",
        Status = status,
        Labels = ["netflix", "playready"],
        Phase = EnginePhase.Idle,
        Indexes = ImmutableSortedDictionary<string, int>.Empty,
        IsAnnounced = isProvisioningChange,
    };
}
