using Provisioning.Daemon.Common.Options;

namespace Provisioning.Daemon.State;

internal static class StateServiceCollectionExtensions
{
    /// <summary>The state store (section State) and the protection of its key material; see AddKeyEncryption.</summary>
    public static IServiceCollection AddStateStore(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StateOptions>().Bind(configuration.GetSection(StateOptions.SectionName))
            .ValidateSection(StateOptions.SectionName, new StateOptionsValidator());
        services.AddSingleton<KeyMaterialProtector>();
        services.AddSingleton<StateStore>();
        return services;
    }
}
