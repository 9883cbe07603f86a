using Provisioning.Daemon.Common.Options;

namespace Provisioning.Daemon.Authorization;

/// <summary>Registers the one policy (section Authorization) and its authorizer, used by both APIs.</summary>
internal static class AuthorizationExtensions
{
    public static IServiceCollection AddCallerAuthorization(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AuthorizationOptions>().Bind(configuration.GetSection(AuthorizationOptions.SectionName))
            .ValidateSection(AuthorizationOptions.SectionName, new AuthorizationOptionsRules(configuration));
        services.AddSingleton<CallerAuthorizer>();
        return services;
    }
}
