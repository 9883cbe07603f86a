using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Common.Options;

namespace Provisioning.Daemon.Grpc;

/// <summary>Registers the gRPC API: options, the Unix socket listener, the services and health.</summary>
internal static class GrpcApiExtensions
{
    /// <summary>
    /// The largest request message a call may send (its largest field is a label of 64 characters); a larger one
    /// is refused with RESOURCE_EXHAUSTED from its length prefix, before it is read.
    /// </summary>
    public const int MaxRequestMessageBytes = 4 * 1024;

    public static IServiceCollection AddGrpcApi(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<GrpcOptions>().Bind(configuration.GetSection(GrpcOptions.SectionName))
            .ValidateSection(GrpcOptions.SectionName, new GrpcOptionsValidator(), new GrpcOptionsRules());

        services.AddSingleton<UnixSocketBinder>();
        services.AddSingleton<IConfigureOptions<KestrelServerOptions>, GrpcKestrelSetup>();
        services.AddSingleton<IConfigureOptions<SocketTransportOptions>, SocketTransportSetup>();

        // One instance each for the daemon's life, taken from the container by gRPC's activators: none holds
        // per-call state, and a call then neither constructs its service nor its interceptor.
        services.AddSingleton<ProvisioningGrpcService>();
        services.AddSingleton<HealthService>();
        services.AddSingleton<UnixSocketOnlyInterceptor>();
        services.AddGrpc(grpc =>
        {
            grpc.Interceptors.Add<UnixSocketOnlyInterceptor>();
            grpc.MaxReceiveMessageSize = MaxRequestMessageBytes;
        });
        return services;
    }

    public static WebApplication MapGrpcApi(this WebApplication app)
    {
        app.Use(RequestMessageCheck.InvokeAsync);
        app.MapGrpcService<ProvisioningGrpcService>();
        app.MapGrpcService<HealthService>();
        return app;
    }
}
