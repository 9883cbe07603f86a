using System.ComponentModel.DataAnnotations;

namespace Provisioning.Daemon.Identity;

/// <summary>The "Device" configuration section: where the provision ID comes from, and what the device reports.</summary>
internal sealed class DeviceOptions
{
    public const string SectionName = "Device";

    /// <summary>The provision ID, used as is when set; it must have the form docs/backoffice-protocol.md gives (it goes into URLs).</summary>
    [ProvisionIdForm]
    public string? Id { get; set; }

    /// <summary>The identity source the ID is derived from when <see cref="Id"/> is unset.</summary>
    [Required]
    public string IdFile { get; set; } = "/etc/machine-id";
}

/// <summary>Device:Id, when set, must be a provision ID (<see cref="ProvisionId.IsValid"/>); empty is unset, as for DeviceIdentity.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ProvisionIdFormAttribute() : ValidationAttribute("must be a provision ID: " + ProvisionId.Form + ".")
{
    public override bool IsValid(object? value) => value is null or "" || ProvisionId.IsValid(value as string);
}
