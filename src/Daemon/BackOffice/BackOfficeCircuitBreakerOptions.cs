using System.ComponentModel.DataAnnotations;
using Provisioning.Daemon.Common.Options;

namespace Provisioning.Daemon.BackOffice;

/// <summary>"BackOffice:CircuitBreaker": stop sending for a while when the back office keeps failing.</summary>
internal sealed class BackOfficeCircuitBreakerOptions
{
    /// <summary>The share of failed attempts within SamplingDuration that opens the circuit.</summary>
    [Range(0.01, 1.0)]
    public double FailureRatio { get; set; } = 0.5;

    /// <summary>
    /// The number of attempts within SamplingDuration below which the circuit never opens. High enough that
    /// a short outage is left to the back-off; what it stops is a burst of runs hammering a failing back office.
    /// </summary>
    [Range(2, 1000)]
    public int MinimumThroughput { get; set; } = 8;

    /// <summary>The window over which the failure ratio is measured.</summary>
    [TimeSpanRange("00:00:00.500", "1.00:00:00")]
    public TimeSpan SamplingDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long the circuit stays open before one probe is let through (half-open).</summary>
    [TimeSpanRange("00:00:00.500", "1.00:00:00")]
    public TimeSpan BreakDuration { get; set; } = TimeSpan.FromSeconds(30);
}
