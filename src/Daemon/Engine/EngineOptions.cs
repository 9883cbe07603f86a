using System.ComponentModel.DataAnnotations;
using Provisioning.Daemon.Common.Options;

namespace Provisioning.Daemon.Engine;

/// <summary>The "Engine" configuration section.</summary>
internal sealed class EngineOptions
{
    public const string SectionName = "Engine";

    /// <summary>When to provision again, as the fraction of the lifetime (issued to expires) that has passed.</summary>
    [Range(0.1, 0.99, ErrorMessage = "must be between {1} and {2}.")]
    public double RefreshFraction { get; set; } = 0.8;

    /// <summary>After a run that ended without a valid provisioning, when the engine starts another one by itself.</summary>
    [TimeSpanRange("00:00:01", "7.00:00:00", ErrorMessage = "must be between {1} and {2}.")]
    public TimeSpan RerunDelay { get; set; } = TimeSpan.FromMinutes(15);
}
