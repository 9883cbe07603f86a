using System.ComponentModel.DataAnnotations;

namespace Provisioning.Daemon.State;

/// <summary>The "State" configuration section.</summary>
internal sealed class StateOptions
{
    public const string SectionName = "State";

    /// <summary>Holds the state file and the key material; created 0700 when missing.</summary>
    [Required]
    [MinLength(1)]
    public string Directory { get; set; } = "/var/lib/provisioning";
}
