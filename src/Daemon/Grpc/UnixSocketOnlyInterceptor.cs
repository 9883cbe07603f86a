using Grpc.Core;
using Grpc.Core.Interceptors;
using Provisioning.Daemon.Authorization;
using Provisioning.Contracts.V1;

namespace Provisioning.Daemon.Grpc;

/// <summary>
/// Every gRPC call, health included, passes here first: it answers only on connections accepted by the Unix socket
/// listener (Kestrel may carry the JSON-RPC bridge's listeners too), and only when the Authorization policy allows
/// the caller the method's operation (<see cref="GrpcOperations"/>); otherwise PERMISSION_DENIED. A method the router
/// matched in another case than its name's is UNIMPLEMENTED, as gRPC's names are case-sensitive.
/// </summary>
internal sealed class UnixSocketOnlyInterceptor(CallerAuthorizer authorizer) : Interceptor
{
    public override Task<TResponse> UnaryServerHandler<TRequest, TResponse>(
        TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        Check(context, request);
        return continuation(request, context);
    }

    public override Task ServerStreamingServerHandler<TRequest, TResponse>(
        TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context,
        ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context, request);
        return continuation(request, responseStream, context);
    }

    public override Task<TResponse> ClientStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, ServerCallContext context,
        ClientStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context, request: null);
        return continuation(requestStream, context);
    }

    public override Task DuplexStreamingServerHandler<TRequest, TResponse>(
        IAsyncStreamReader<TRequest> requestStream, IServerStreamWriter<TResponse> responseStream,
        ServerCallContext context, DuplexStreamingServerMethod<TRequest, TResponse> continuation)
    {
        Check(context, request: null);
        return continuation(requestStream, responseStream, context);
    }

    /// <summary>The caller of a call on the gRPC socket; unknown where the OS has no SO_PEERCRED.</summary>
    public static Caller CallerOf(ServerCallContext context) =>
        context.GetHttpContext().Features.Get<PeerCredentialsFeature>()?.Credentials is { } peer
            ? new Caller(CallerTransport.GrpcSocket, peer.Uid, peer.Gid, peer.Pid)
            : Caller.Unknown(CallerTransport.GrpcSocket);

    private void Check(ServerCallContext context, object? request)
    {
        if (context.GetHttpContext().Features.Get<PeerCredentialsFeature>() is null)
        {
            throw GrpcErrors.NotOnSocket();
        }

        string method = context.Method;
        string name = method[(method.LastIndexOf('/') + 1)..];
        string? label = (request as GetKeyRequest)?.Label;
        if (!GrpcOperations.ByMethod.TryGetValue(method, out Operation operation))
        {
            throw GrpcErrors.Unimplemented();
        }

        if (!authorizer.Allows(CallerOf(context), operation, name, label))
        {
            throw GrpcErrors.PermissionDenied(name);
        }
    }
}
