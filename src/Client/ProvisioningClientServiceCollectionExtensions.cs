using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Provisioning.Client;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers <see cref="ProvisioningClient"/> with dependency injection.</summary>
public static class ProvisioningClientServiceCollectionExtensions
{
    /// <summary>
    /// Adds a singleton <see cref="ProvisioningClient"/> configured from <see cref="ProvisioningClientOptions"/>
    /// (bind them from configuration with <c>services.Configure&lt;ProvisioningClientOptions&gt;(...)</c>, or pass <paramref name="configure"/>).
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options, e.g. the socket path; null keeps the defaults.</param>
    /// <returns>The service collection, for chaining.</returns>
    public static IServiceCollection AddProvisioningClient(this IServiceCollection services, Action<ProvisioningClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<ProvisioningClientOptions>();
        if (configure is not null)
        {
            services.Configure(configure);
        }

        services.TryAddSingleton(sp => new ProvisioningClient(sp.GetRequiredService<IOptions<ProvisioningClientOptions>>().Value));
        return services;
    }
}
