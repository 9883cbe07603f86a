using System.Collections.Immutable;
using Provisioning.Daemon.Engine;
using Provisioning.Daemon.Systemd;

namespace Provisioning.Daemon.Tests.Systemd;

public sealed class SystemdStatusTextTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 3, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Describe_IdleAndProvisioned_CountsTheLabels()
    {
        Assert.Equal("provisioned, 3 labels", SystemdStatusText.Describe(State(EnginePhase.Idle, labels: 3), Now));
        Assert.Equal("provisioned, 1 label", SystemdStatusText.Describe(State(EnginePhase.Idle, labels: 1), Now));
    }

    [Fact]
    public void Describe_RetryWaitAfterAnAnswer_GivesTheSecondsLeftAndTheStatus()
    {
        EngineState state = State(EnginePhase.RetryWait, status: 503) with { NextAttemptAt = Now.AddSeconds(41.2), LastError = "503 Service Unavailable" };

        Assert.Equal("not provisioned; retrying in 42 s after 503", SystemdStatusText.Describe(state, Now));
    }

    [Fact]
    public void Describe_RetryWaitAfterANetworkFailure_GivesTheReasonNotAnOldStatus()
    {
        EngineState state = State(EnginePhase.RetryWait, labels: 2, status: 200) with { NextAttemptAt = Now.AddSeconds(5), LastError = "connection refused" };

        Assert.Equal("provisioned, 2 labels; retrying in 5 s after connection refused", SystemdStatusText.Describe(state, Now));
    }

    [Fact]
    public void Describe_BootDelayAndUnavailable_SayWhy()
    {
        Assert.Equal(
            "not provisioned; waiting for boot delay, first run in 90 s",
            SystemdStatusText.Describe(State(EnginePhase.BootDelay) with { NextAttemptAt = Now.AddSeconds(90) }, Now));
        Assert.Equal(
            "unavailable: BackOffice:Url is not configured",
            SystemdStatusText.Describe(State(EnginePhase.Unavailable) with { LastError = "BackOffice:Url is not configured" }, Now));
    }

    [Fact]
    public void Describe_ReasonWithLineBreaksAndGreatLength_StaysOneBoundedLine()
    {
        EngineState state = State(EnginePhase.Idle) with { LastError = "bad\nREADY=1\r" + new string('x', 500) };

        string status = SystemdStatusText.Describe(state, Now);

        Assert.DoesNotContain('\n', status);
        Assert.DoesNotContain('\r', status);
        Assert.Equal(200, status.Length);
        Assert.StartsWith("not provisioned; last run failed: bad READY=1", status, StringComparison.Ordinal);
    }

    private static EngineState State(EnginePhase phase, int labels = 0, int status = 0) => new()
    {
        Sequence = 1,
        Change = StateChange.Current,
        Id = "WPE00000uCfrLF45",
        Status = status,
        Labels = [.. Enumerable.Range(0, labels).Select(i => $"label{i}")],
        Phase = phase,
        Indexes = ImmutableSortedDictionary.Create<string, int>(StringComparer.Ordinal),
    };
}
