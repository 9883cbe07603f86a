using Provisioning.Daemon.Hosting;
using Provisioning.Daemon.Identity;
using Provisioning.Daemon.State;

namespace Provisioning.Daemon.Engine;

internal static class EngineServiceCollectionExtensions
{
    /// <summary>The engine with its identity and state store; the back-office client is added by AddBackOffice.</summary>
    public static IServiceCollection AddProvisioningEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EngineOptions>().Bind(configuration.GetSection(EngineOptions.SectionName))
            .ValidateSection(EngineOptions.SectionName, new EngineOptionsValidator());
        services.AddOptions<BootOptions>().Bind(configuration.GetSection(BootOptions.SectionName))
            .ValidateSection(BootOptions.SectionName, new BootOptionsValidator());
        services.AddOptions<DeviceOptions>().Bind(configuration.GetSection(DeviceOptions.SectionName))
            .ValidateSection(DeviceOptions.SectionName, new DeviceOptionsValidator());
        services.AddOptions<StateOptions>().Bind(configuration.GetSection(StateOptions.SectionName))
            .ValidateSection(StateOptions.SectionName, new StateOptionsValidator());
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<DeviceIdentity>();
        services.AddSingleton<KeyMaterialProtector>();
        services.AddSingleton<StateStore>();
        services.AddSingleton<ProvisioningEngine>();
        services.AddHostedService(provider => provider.GetRequiredService<ProvisioningEngine>());
        return services;
    }
}
