namespace Provisioning.Bench.Fleet;

/// <summary>How the back office met one request.</summary>
internal enum ArrivalOutcome
{
    /// <summary>Within capacity: answered by the simulator's protocol code.</summary>
    Served,

    /// <summary>Over capacity: 429 with Retry-After.</summary>
    Rejected,

    /// <summary>During the outage: 503 with Retry-After, or no connection.</summary>
    Down,
}

/// <summary>One request reaching the back office, on the fleet clock.</summary>
internal readonly record struct Arrival(long Ticks, ArrivalOutcome Outcome);
