using System.ComponentModel.DataAnnotations;
using Provisioning.Daemon.Common.Options;

namespace Provisioning.Daemon.BackOffice;

/// <summary>"BackOffice:Retry": exponential back-off with jitter between attempts of a run.</summary>
internal sealed class BackOfficeRetryOptions
{
    /// <summary>The nominal delay after the first failure; it doubles with each further failure.</summary>
    [TimeSpanRange("00:00:00.001", "01:00:00")]
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>The longest wait between two attempts, Retry-After included.</summary>
    [TimeSpanRange("00:00:00.001", "1.00:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(150);

    /// <summary>How each wait is drawn from the nominal delay (bench/README.md, "Fleet", compares them).</summary>
    public RetryJitter Jitter { get; set; } = RetryJitter.Equal;

    /// <summary>Whether a Retry-After is only a floor under the back-off or the wait itself; capped at MaxDelay either way.</summary>
    public RetryAfterUse RetryAfter { get; set; } = RetryAfterUse.Exact;
}
