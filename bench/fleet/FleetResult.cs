namespace Provisioning.Bench.Fleet;

/// <summary>What one fleet run measured; times are on the fleet clock.</summary>
internal sealed record FleetResult(
    FleetScenario Scenario,
    FleetStrategy Strategy,
    int Provisioned,
    int Requests,
    int Rejected,
    int DuringOutage,
    int PeakPerSecond,
    double PeakPerSecondOver10s,
    int PeakServedPerSecond,
    int PeakPerSecondWhileUp,
    TimeSpan? To99,
    TimeSpan? To100,
    TimeSpan Ideal,
    int EarlyAttempts,
    TimeSpan ShortestGap,
    TimeSpan RealTime)
{
    /// <summary>The goal's bound on the peak: 1.2 × fleet size / Boot:MaxDelay.</summary>
    public double PeakBound => Strategy.BootWindow > TimeSpan.Zero
        ? 1.2 * Scenario.Devices / Strategy.BootWindow.TotalSeconds
        : double.PositiveInfinity;

    /// <summary>Share of the requests that reached an up back office and were answered 429.</summary>
    public double RejectedShare => Requests - DuringOutage == 0 ? 0 : (double)Rejected / (Requests - DuringOutage);

    /// <summary>Time until the whole fleet was provisioned, as a multiple of a perfectly paced fleet's.</summary>
    public double? To100OverIdeal => To100 is { } t ? t / Ideal : null;
}
