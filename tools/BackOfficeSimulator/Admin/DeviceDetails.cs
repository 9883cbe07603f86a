namespace Provisioning.BackOfficeSimulator;

/// <summary>A device in GET /admin/devices/{id}: with its keys in base64 (fake test material).</summary>
internal sealed record DeviceDetails(string Id, DeviceState State, int Generation, IReadOnlyList<TokenBody> Tokens)
{
    public static DeviceDetails From(SimulatedDevice device) =>
        new(device.Id, device.State, device.Generation, [.. device.Labels.Select(l => new TokenBody(l.Key, l.Value))]);
}
