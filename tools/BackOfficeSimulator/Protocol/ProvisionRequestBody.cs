namespace Provisioning.BackOfficeSimulator;

/// <summary>The body of POST /v1/devices/{id}/provision. model and firmware are informational and optional here.</summary>
internal sealed class ProvisionRequestBody
{
    public string? Id { get; set; }

    public string? Model { get; set; }

    public string? Firmware { get; set; }

    /// <summary>Absent means "whatever the back office assigns".</summary>
    public IReadOnlyList<string>? Labels { get; set; }
}
