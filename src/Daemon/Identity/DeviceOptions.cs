using System.ComponentModel.DataAnnotations;

namespace Provisioning.Daemon.Identity;

/// <summary>The "Device" configuration section: where the provision ID comes from, and what the device reports.</summary>
internal sealed class DeviceOptions
{
    public const string SectionName = "Device";

    /// <summary>The provision ID, used as is when set. It goes into URLs, so only [A-Za-z0-9._-] are allowed.</summary>
    [RegularExpression("^[A-Za-z0-9._-]{1,64}$", ErrorMessage = "must be 1-64 characters of [A-Za-z0-9._-].")]
    public string? Id { get; set; }

    /// <summary>The identity source the ID is derived from when <see cref="Id"/> is unset.</summary>
    [Required]
    public string IdFile { get; set; } = "/etc/machine-id";
}
