using System.ComponentModel.DataAnnotations;
using Provisioning.Daemon.Common.Options;

namespace Provisioning.Daemon.Engine;

/// <summary>The "Boot" configuration section.</summary>
internal sealed class BootOptions
{
    public const string SectionName = "Boot";

    /// <summary>
    /// The window of the random delay before the first run at boot, so that a fleet powering up together
    /// (after a power cut, say) spreads its requests over two minutes. 00:00:00 starts at once.
    /// </summary>
    [TimeSpanRange("00:00:00", "1.00:00:00", ErrorMessage = "must be between {1} and {2}.")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMinutes(2);
}
