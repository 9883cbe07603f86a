using Grpc.Core;
using Grpc.Health.V1;
using ServingStatus = Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus;

namespace Provisioning.Daemon.Grpc;

/// <summary>
/// grpc.health.v1 for the server ("") and provisioning.v1.Provisioning: SERVING while the daemon runs (the listeners
/// start only after the engine has restored the state), NOT_SERVING once it stops. A Watch then gets NOT_SERVING and
/// ends with UNAVAILABLE (<see cref="CallUntilStopping"/>) rather than hold the shutdown. Another service name:
/// NOT_FOUND from Check, SERVICE_UNKNOWN from Watch, as the protocol says.
/// </summary>
internal sealed class HealthService(IHostApplicationLifetime lifetime) : Health.HealthBase
{
    public const string ServiceName = "provisioning.v1.Provisioning";

    public override Task<HealthCheckResponse> Check(HealthCheckRequest request, ServerCallContext context) =>
        IsServed(request.Service)
            ? Task.FromResult(new HealthCheckResponse { Status = Current })
            : throw new RpcException(new Status(StatusCode.NotFound, $"No health is reported for '{request.Service}'."));

    public override async Task Watch(HealthCheckRequest request, IServerStreamWriter<HealthCheckResponse> responseStream, ServerCallContext context)
    {
        bool served = IsServed(request.Service);
        using var call = new CallUntilStopping(context, lifetime);
        await responseStream.WriteAsync(new HealthCheckResponse { Status = served ? Current : ServingStatus.ServiceUnknown }, call.Token);
        var ended = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (call.Token.Register(() => ended.TrySetResult()))
        {
            await ended.Task;
        }

        if (call.IsStopping)
        {
            if (served)
            {
                await responseStream.WriteAsync(new HealthCheckResponse { Status = ServingStatus.NotServing }, context.CancellationToken);
            }

            throw GrpcErrors.Stopping();
        }
    }

    private ServingStatus Current => lifetime.ApplicationStopping.IsCancellationRequested ? ServingStatus.NotServing : ServingStatus.Serving;

    private static bool IsServed(string service) => service.Length == 0 || service == ServiceName;
}
