using Google.Rpc;
using Grpc.Core;

namespace Provisioning.Client;

/// <summary>Turns a failed call's status and google.rpc details into the typed exceptions.</summary>
internal static class ErrorTranslator
{
    public static ProvisioningException Translate(RpcException e, string socketPath)
    {
        Google.Rpc.Status? status = e.GetRpcStatus();
        string? reason = status?.GetDetail<ErrorInfo>()?.Reason;
        string? field = status?.GetDetail<BadRequest>()?.FieldViolations.FirstOrDefault()?.Field;
        string message = string.IsNullOrEmpty(status?.Message) ? e.Status.Detail : status.Message;

        return (e.StatusCode, reason) switch
        {
            (_, "ERROR_INPROGRESS") => new ProvisioningInProgressException(message, reason, field, e),
            (_, "ERROR_UNAVAILABLE") => new ProvisioningUnavailableException(message, reason, field, e),
            (StatusCode.PermissionDenied, _) => new ProvisioningPermissionDeniedException(message, reason, field, e),
            (StatusCode.Unavailable, null) => new DaemonUnreachableException($"provisioningd does not answer on {socketPath}: {e.Status.DebugException?.Message ?? e.Status.Detail}", reason, field, e),
            _ => new ProvisioningException(message, reason, field, e),
        };
    }
}
