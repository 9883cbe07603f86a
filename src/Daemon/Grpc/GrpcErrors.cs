using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Provisioning.Daemon.Engine;

namespace Provisioning.Daemon.Grpc;

/// <summary>
/// Every error the API returns is built here (architecture.md's table): status code, message and
/// google.rpc details (ErrorInfo with the Thunder reason name, BadRequest with the field).
/// </summary>
internal static class GrpcErrors
{
    public const string Domain = "provisioning.v1";

    public const string InProgressReason = "ERROR_INPROGRESS";
    public const string UnavailableReason = "ERROR_UNAVAILABLE";
    public const string UnknownKeyReason = "ERROR_UNKNOWN_KEY";
    public const string InvalidRangeReason = "ERROR_INVALID_RANGE";
    public const string BadRequestReason = "ERROR_BAD_REQUEST";
    public const string NotProvisionedReason = "ERROR_NOT_PROVISIONED";
    public const string PermissionDeniedReason = "ERROR_PERMISSION_DENIED";
    public const string WatcherOverflowReason = "ERROR_WATCHER_OVERFLOW";

    public static RpcException FromEngine(EngineError error, string? label = null) => error switch
    {
        EngineError.InProgress => Build(Code.FailedPrecondition, "A provisioning run is in progress.", InProgressReason),
        EngineError.Unavailable => Build(Code.Unavailable, "No usable back-office client (not configured, identity unreadable or store unusable).", UnavailableReason),
        EngineError.NotProvisioned => Build(Code.FailedPrecondition, "Nothing is provisioned yet.", NotProvisionedReason),
        EngineError.UnknownLabel => Build(Code.NotFound, $"The label '{label}' is not in the stored provisioning.", UnknownKeyReason, "label"),
        EngineError.IndexOutOfRange => Build(Code.InvalidArgument, "The index is outside the label's key slots.", InvalidRangeReason, "index"),
        _ => Build(Code.Internal, "Unexpected engine answer.", "ERROR_GENERAL"),
    };

    public static RpcException InvalidArgument(string field, string description) =>
        Build(Code.InvalidArgument, description, BadRequestReason, field);

    public static RpcException PermissionDenied(string method) =>
        Build(Code.PermissionDenied, $"The caller is not allowed to call {method}: no Grpc:Authorization rule names its uid or gid.", PermissionDeniedReason);

    public static RpcException NotOnSocket() =>
        Build(Code.PermissionDenied, "The gRPC API is served on the Unix socket only.", PermissionDeniedReason);

    public static RpcException Stopping() =>
        Build(Code.Unavailable, "provisioningd is stopping; watch again once it is back.", UnavailableReason);

    public static RpcException WatcherOverflow(int capacity) =>
        Build(Code.ResourceExhausted, $"The watcher fell more than {capacity} changes behind and was ended; call WatchState again for the current state.", WatcherOverflowReason);

    private static RpcException Build(Code code, string message, string reason, string? field = null)
    {
        var status = new Google.Rpc.Status
        {
            Code = (int)code,
            Message = message,
            Details = { Any.Pack(new ErrorInfo { Reason = reason, Domain = Domain }) },
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
