using Microsoft.Extensions.Options;
using Provisioning.Daemon.Common.Options;

namespace Provisioning.Daemon.State;

internal static class StateServiceCollectionExtensions
{
    /// <summary>
    /// The state store (section State) with the protection of its key material: the key-encryption keys from
    /// State:KeyEncryptionKeyFile or the systemd credential, validated with the section at start (an unusable
    /// configured key stops the daemon before it reports ready). One registration, so the store cannot be
    /// had without the decision about encryption at rest.
    /// </summary>
    public static IServiceCollection AddStateStore(this IServiceCollection services, IConfiguration configuration)
    {
        string? credentials = Environment.GetEnvironmentVariable(KeyEncryptionKeys.CredentialsDirectoryVariable);
        services.AddOptions<StateOptions>().Bind(configuration.GetSection(StateOptions.SectionName))
            .ValidateSection(StateOptions.SectionName, new StateOptionsValidator())
            .ValidateSection(StateOptions.SectionName, new KeyEncryptionOptionsValidator(credentials));
        services.AddSingleton(provider => new KeyEncryptionKeys(provider.GetRequiredService<IOptions<StateOptions>>(), credentials));
        services.AddSingleton<KeyMaterialProtector>();
        services.AddSingleton<StateStore>();
        services.AddHostedService<KeyEncryptionStartupReport>();
        return services;
    }
}
