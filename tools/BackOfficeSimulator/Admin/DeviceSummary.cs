namespace Provisioning.BackOfficeSimulator;

/// <summary>A device in GET /admin/devices: labels and key counts, no keys.</summary>
internal sealed record DeviceSummary(string Id, DeviceState State, int Generation, IReadOnlyList<LabelSummary> Labels)
{
    public static DeviceSummary From(SimulatedDevice device) =>
        new(device.Id, device.State, device.Generation, [.. device.Labels.Select(l => new LabelSummary(l.Key, l.Value.Count))]);
}
