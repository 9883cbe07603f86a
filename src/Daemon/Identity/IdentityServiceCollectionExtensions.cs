using Provisioning.Daemon.Common.Options;

namespace Provisioning.Daemon.Identity;

internal static class IdentityServiceCollectionExtensions
{
    /// <summary>The device's provision ID (section Device): Device:Id, or derived from Device:IdFile.</summary>
    public static IServiceCollection AddDeviceIdentity(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DeviceOptions>().Bind(configuration.GetSection(DeviceOptions.SectionName))
            .ValidateSection(DeviceOptions.SectionName, new DeviceOptionsValidator());
        services.AddSingleton<DeviceIdentity>();
        return services;
    }
}
