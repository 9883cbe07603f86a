namespace Provisioning.BackOfficeSimulator;

/// <summary>The body of POST /admin/devices (add or replace, new keys) and PUT /admin/devices/{id}/state.</summary>
internal sealed class DeviceRequest
{
    public string? Id { get; set; }

    /// <summary>Absent or empty: the default labels.</summary>
    public IReadOnlyList<string>? Labels { get; set; }

    public DeviceState? State { get; set; }
}
