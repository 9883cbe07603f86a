using System.ComponentModel.DataAnnotations;

namespace Provisioning.Daemon.Identity;

/// <summary>The "Device" configuration section: where the provision ID comes from, and what the device reports.</summary>
internal sealed class DeviceOptions
{
    public const string SectionName = "Device";

    /// <summary>The provision ID, used as is when set; it must have the form docs/backoffice-protocol.md gives (it goes into URLs).</summary>
    [RegularExpression(ProvisionId.Pattern, ErrorMessage = "must be a provision ID: WPE followed by 13 base62 characters (0-9, A-Z, a-z).")]
    public string? Id { get; set; }

    /// <summary>The identity source the ID is derived from when <see cref="Id"/> is unset.</summary>
    [Required]
    public string IdFile { get; set; } = "/etc/machine-id";
}
