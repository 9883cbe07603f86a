using System.Text;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Common.Files;

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
            string identity = Encoding.UTF8.GetString(BoundedFile.ReadAllBytes(device.IdFile, MaxIdentityBytes)).Trim();
            return identity.Length == 0
                ? (null, $"Device:IdFile {device.IdFile} is empty")
                : (ProvisionId.Derive(identity), null);
        }
        catch (InvalidDataException exception)
        {
            return (null, $"Device:IdFile: {exception.Message}");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return (null, $"Device:IdFile {device.IdFile} is unreadable: {exception.Message}");
        }
    }
}
