using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Provisioning.Contracts.V1;
using Provisioning.Daemon.Engine;

namespace Provisioning.Daemon.Grpc;

/// <summary>
/// Every error the API returns is built here (docs/architecture.md, "Errors callers see"): status code, message and
/// google.rpc details (ErrorInfo with the Thunder reason name, BadRequest with the field).
/// </summary>
internal static class GrpcErrors
{
    public static RpcException FromEngine(EngineError error, string? label = null) => error switch
    {
        EngineError.InProgress => Build(Code.FailedPrecondition, "A provisioning run is in progress.", ErrorReasons.InProgress),
        EngineError.Unavailable => Build(Code.Unavailable, "No usable back-office client (not configured, identity unreadable or store unusable).", ErrorReasons.Unavailable),
        EngineError.NotProvisioned => Build(Code.FailedPrecondition, "Nothing is provisioned yet.", ErrorReasons.NotProvisioned),
        EngineError.UnknownLabel => Build(Code.NotFound, $"The label '{label}' is not in the stored provisioning.", ErrorReasons.UnknownKey, "label"),
        EngineError.IndexOutOfRange => Build(Code.InvalidArgument, "The index is outside the label's key slots.", ErrorReasons.InvalidRange, "index"),
        _ => Build(Code.Internal, "Unexpected engine answer.", ErrorReasons.General),
    };

    public static RpcException InvalidArgument(string field, string description) =>
        Build(Code.InvalidArgument, description, ErrorReasons.BadRequest, field);

    /// <summary>A request message over the API's limit, refused from its length prefix (in gRPC's own words for it).</summary>
    public static RpcException RequestTooLarge() =>
        new(new global::Grpc.Core.Status(StatusCode.ResourceExhausted, "Received message exceeds the maximum configured message size."));

    public static RpcException PermissionDenied(string method) =>
        Build(Code.PermissionDenied, $"The caller is not allowed to call {method}: no Authorization rule allows its uid or gid.", ErrorReasons.PermissionDenied);

    /// <summary>A path the router matched in another case: gRPC's method names are case-sensitive.</summary>
    public static RpcException Unimplemented() => new(new global::Grpc.Core.Status(StatusCode.Unimplemented, "Method is unimplemented."));

    public static RpcException NotOnSocket() =>
        Build(Code.PermissionDenied, "The gRPC API is served on the Unix socket only.", ErrorReasons.PermissionDenied);

    public static RpcException Stopping() =>
        Build(Code.Unavailable, "provisioningd is stopping; call again once it is back.", ErrorReasons.Unavailable);

    public static RpcException WatcherOverflow(int capacity) =>
        Build(Code.ResourceExhausted, $"The watcher fell more than {capacity} changes behind and was ended; call WatchState again for the current state.", ErrorReasons.WatcherOverflow);

    private static RpcException Build(Code code, string message, string reason, string? field = null)
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)code,
            Message = message,
            Details = { Any.Pack(new ErrorInfo { Reason = reason, Domain = ErrorReasons.Domain }) },
        };
        if (field is not null)
        {
            status.Details.Add(Any.Pack(new BadRequest
            {
                FieldViolations = { new BadRequest.Types.FieldViolation { Field = field, Description = message } },
            }));
        }

        return status.ToRpcException();
    }
}
