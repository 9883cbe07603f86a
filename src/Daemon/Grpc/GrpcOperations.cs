using MethodDescriptor = Google.Protobuf.Reflection.MethodDescriptor;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using Grpc.Health.V1;
using Provisioning.Daemon.Authorization;
using ProvisioningApi = Provisioning.Contracts.V1.Provisioning;

namespace Provisioning.Daemon.Grpc;

/// <summary>
/// Every gRPC method and the operation the Authorization policy decides it as. A method missing here is refused
/// (tests check that every method of the served services is listed).
/// </summary>
internal static class GrpcOperations
{
    public static IReadOnlyDictionary<string, Operation> ByMethod { get; } = Build();

    private static Dictionary<string, Operation> Build()
    {
        ServiceDescriptor provisioning = ProvisioningApi.Descriptor;
        ServiceDescriptor health = Health.Descriptor;
        var map = new Dictionary<string, Operation>(StringComparer.Ordinal)
        {
            [Path(provisioning, "GetId")] = Operation.Read,
            [Path(provisioning, "GetState")] = Operation.Read,
            [Path(provisioning, "WatchState")] = Operation.Read,
            [Path(provisioning, "Provision")] = Operation.Provision,
            [Path(provisioning, "SetIndex")] = Operation.Provision,
            [Path(provisioning, "GetKey")] = Operation.Key,
        };
        foreach (MethodDescriptor method in health.Methods)
        {
            map[Path(health, method.Name)] = Operation.Read;
        }

        return map;
    }

    /// <summary>The path gRPC calls a method by: /package.Service/Method.</summary>
    public static string Path(ServiceDescriptor service, string method) =>
        service.FindMethodByName(method) is null
            ? throw new InvalidOperationException($"{service.FullName} has no method {method}.")
            : $"/{service.FullName}/{method}";
}
