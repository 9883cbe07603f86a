namespace Provisioning.Daemon.BackOffice;

internal static class BackOfficeServiceCollectionExtensions
{
    public static IServiceCollection AddBackOffice(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<BackOfficeOptions>().Bind(configuration.GetSection(BackOfficeOptions.SectionName));
        services.AddHttpClient<BackOfficeClient>();
        return services;
    }
}
