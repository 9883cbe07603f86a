using Grpc.Health.V1;
using Grpc.HealthCheck;

namespace Provisioning.Daemon.Grpc;

/// <summary>
/// grpc.health.v1: SERVING from start (the engine, registered first, has restored the state before any hosted
/// service after it starts, and the listeners start last), NOT_SERVING again at shutdown.
/// </summary>
internal sealed class HealthPublisher(HealthServiceImpl health, ILogger<HealthPublisher> logger) : IHostedService
{
    public const string ServiceName = "provisioning.v1.Provisioning";

    public Task StartAsync(CancellationToken cancellationToken)
    {
        Set(HealthCheckResponse.Types.ServingStatus.Serving);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Set(HealthCheckResponse.Types.ServingStatus.NotServing);
        return Task.CompletedTask;
    }

    private void Set(HealthCheckResponse.Types.ServingStatus status)
    {
        health.SetStatus(string.Empty, status);
        health.SetStatus(ServiceName, status);
        GrpcLog.Health(logger, status);
    }
}
