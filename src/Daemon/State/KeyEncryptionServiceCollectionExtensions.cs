using Provisioning.Daemon.Common.Options;

namespace Provisioning.Daemon.State;

internal static class KeyEncryptionServiceCollectionExtensions
{
    /// <summary>
    /// Encryption at rest for the key material: the keys from State:KeyEncryptionKeyFile or the systemd
    /// credential, validated at start (an unusable configured key stops the daemon before it reports ready).
    /// </summary>
    public static IServiceCollection AddKeyEncryption(this IServiceCollection services)
    {
        string? credentials = Environment.GetEnvironmentVariable(KeyEncryptionKeys.CredentialsDirectoryVariable);
        // Bound by AddProvisioningEngine; this adds the key check to the same section's validation.
        services.AddOptions<StateOptions>()
            .ValidateSection(StateOptions.SectionName, new KeyEncryptionOptionsValidator(credentials));
        services.AddSingleton(provider => new KeyEncryptionKeys(
            provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<StateOptions>>(), credentials));
        services.AddHostedService<KeyEncryptionStartupReport>();
        return services;
    }
}
