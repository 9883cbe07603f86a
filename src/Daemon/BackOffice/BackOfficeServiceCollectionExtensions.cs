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

        // Timeouts belong to the pipeline. The factory's own request logging is removed: at Trace it hands
        // every header, the bearer token included, to the log as structured state (redaction only masks the
        // message text). BackOfficeLog says what happened, without secrets.
        services.AddHttpClient<BackOfficeClient>(client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => BackOfficeHttpHandler.Create(sp.GetRequiredService<IOptions<BackOfficeOptions>>().Value))
            .RemoveAllLoggers();
        services.AddSingleton<IBackOfficeClient>(provider => provider.GetRequiredService<BackOfficeClient>());
        return services;
    }
}
