namespace Provisioning.BackOfficeSimulator;

/// <summary>A device declared in configuration ("Simulator:Devices:0:Id", "...:Labels:0").</summary>
internal sealed class DeviceSeed
{
    public string Id { get; set; } = "";

    /// <summary>Empty means the default labels.</summary>
    public IList<string> Labels { get; set; } = [];

    public DeviceState State { get; set; } = DeviceState.Active;
}
