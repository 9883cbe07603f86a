using Grpc.HealthCheck;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.Grpc;

/// <summary>Registers the gRPC API: options, the Unix socket listener, the services and health.</summary>
internal static class GrpcApiExtensions
{
    public static IServiceCollection AddGrpcApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptionsWithValidateOnStart<GrpcOptions>().Bind(configuration.GetSection(GrpcOptions.SectionName));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GrpcOptions>, GrpcOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GrpcOptions>, GrpcOptionsRules>());

        services.AddSingleton<UnixSocketBinder>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, GrpcKestrelSetup>();
        services.AddSingleton<IConfigureOptions<SocketTransportOptions>, SocketTransportSetup>();

        services.AddSingleton<CallerAuthorizer>();
        services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<UnixSocketOnlyInterceptor>();
            grpc.MaxReceiveMessageSize = 64 * 1024;
        });
        services.AddSingleton<HealthServiceImpl>();
        services.AddHostedService<HealthPublisher>();
        return services;
    }

    public static WebApplication MapGrpcApi(this WebApplication app)
    {
        app.MapGrpcService<ProvisioningGrpcService>();
        app.MapGrpcService<HealthServiceImpl>();
        return app;
    }
}
