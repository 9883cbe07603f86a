using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.Identity;

/// <summary>Resolves the device's provision ID once: from Device:Id, or derived from Device:IdFile.</summary>
internal sealed class DeviceIdentity(IOptions<DeviceOptions> options)
{
    private const int MaxIdentityBytes = 4096;

    /// <summary>The provision ID, or null with a reason when the identity source cannot be read.</summary>
    public (string? Id, string? Problem) Resolve()
    {
        DeviceOptions device = options.Value;
        if (!string.IsNullOrEmpty(device.Id))
        {
            return (device.Id, null);
        }

        try
        {
            var info = new FileInfo(device.IdFile);
            if (info.Exists && info.Length > MaxIdentityBytes)
            {
                return (null, $"Device:IdFile {device.IdFile} is larger than {MaxIdentityBytes} bytes");
            }

            string identity = File.ReadAllText(device.IdFile).Trim();
            return identity.Length == 0
                ? (null, $"Device:IdFile {device.IdFile} is empty")
                : (ProvisionId.Derive(identity), null);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return (null, $"Device:IdFile {device.IdFile} is unreadable: {exception.Message}");
        }
    }
}
