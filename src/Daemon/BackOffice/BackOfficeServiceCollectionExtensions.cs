using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Common.Options;

namespace Provisioning.Daemon.BackOffice;

internal static class BackOfficeServiceCollectionExtensions
{
    public static IServiceCollection AddBackOffice(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BackOfficeOptions>().Bind(configuration.GetSection(BackOfficeOptions.SectionName))
            .ValidateSection(BackOfficeOptions.SectionName, new BackOfficeOptionsValidator(), new BackOfficeOptionsRules());

        // One pipeline for the process: the circuit breaker must remember failures across runs and clients.
        services.TryAddSingleton<BackOfficePipeline>();

        // One HttpClient for the process over the handler built from the validated options (its pool renews
        // connections every 5 minutes, so a changed DNS answer is followed); timeouts belong to the pipeline.
        // No IHttpClientFactory: its request logging hands every header, the bearer token included, to the log at
        // Trace as structured state, and a factory of one client is 117 KB of the device executable.
        services.AddSingleton(provider =>
        {
            IOptions<BackOfficeOptions> options = provider.GetRequiredService<IOptions<BackOfficeOptions>>();
            var httpClient = new HttpClient(BackOfficeHttpHandler.Create(options.Value)) { Timeout = Timeout.InfiniteTimeSpan };
            return new BackOfficeClient(
                httpClient,
                options,
                provider.GetRequiredService<BackOfficePipeline>(),
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILogger<BackOfficeClient>>());
        });
        services.AddSingleton<IBackOfficeClient>(provider => provider.GetRequiredService<BackOfficeClient>());
        return services;
    }
}
