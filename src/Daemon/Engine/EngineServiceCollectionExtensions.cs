using Microsoft.Extensions.Options;
using Provisioning.Daemon.BackOffice;
using Provisioning.Daemon.Common;
using Provisioning.Daemon.Common.Options;

namespace Provisioning.Daemon.Engine;

internal static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// The engine and its run planner (sections Engine and Boot). It uses the device identity, the state store
    /// and the back-office client, which their own AddX register.
    /// </summary>
    public static IServiceCollection AddProvisioningEngine(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<EngineOptions>().Bind(configuration.GetSection(EngineOptions.SectionName))
            .ValidateSection(EngineOptions.SectionName, new EngineOptionsValidator());
        services.AddOptions<BootOptions>().Bind(configuration.GetSection(BootOptions.SectionName))
            .ValidateSection(BootOptions.SectionName, new BootOptionsValidator());
        services.AddSingleton(provider => CreateEngine(provider, provider.GetRequiredService<TimeProvider>()));
        services.AddHostedService(provider => provider.GetRequiredService<ProvisioningEngine>());
        return services;
    }

    /// <summary>The engine from the registered services, on <paramref name="clock"/>.</summary>
    public static ProvisioningEngine CreateEngine(IServiceProvider provider, TimeProvider clock) => new(
        () => ResolveParts(provider),
        provider.GetRequiredService<State.StateStore>(),
        provider.GetRequiredService<Identity.DeviceIdentity>(),
        clock,
        provider.GetRequiredService<ILogger<ProvisioningEngine>>());

    private static EngineParts ResolveParts(IServiceProvider provider)
    {
        bool configured = provider.GetRequiredService<IOptions<BackOfficeOptions>>().Value.HasUrl;
        var planner = new RunPlanner(
            provider.GetRequiredService<IOptions<EngineOptions>>().Value,
            provider.GetRequiredService<IOptions<BootOptions>>().Value,
            BuildInfo.BuildDate,
            Random.Shared.NextDouble);
        return new EngineParts(configured ? provider.GetRequiredService<IBackOfficeClient>() : null, planner);
    }
}
