using Grpc.Health.V1;
using Grpc.HealthCheck;
using Provisioning.Daemon.Engine;

namespace Provisioning.Daemon.Grpc;

/// <summary>grpc.health.v1: NOT_SERVING until the engine is ready, SERVING after, NOT_SERVING again at shutdown.</summary>
internal sealed class HealthPublisher(HealthServiceImpl health, ProvisioningEngine engine, ILogger<HealthPublisher> logger)
    : BackgroundService
{
    public const string ServiceName = "provisioning.v1.Provisioning";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Set(HealthCheckResponse.Types.ServingStatus.NotServing);
        await engine.Ready.WaitAsync(stoppingToken);
        Set(HealthCheckResponse.Types.ServingStatus.Serving);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        Set(HealthCheckResponse.Types.ServingStatus.NotServing);
        await base.StopAsync(cancellationToken);
    }

    private void Set(HealthCheckResponse.Types.ServingStatus status)
    {
        health.SetStatus(string.Empty, status);
        health.SetStatus(ServiceName, status);
        GrpcLog.Health(logger, status);
    }
}
