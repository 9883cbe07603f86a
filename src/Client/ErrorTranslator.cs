using System.Net.Sockets;
using Google.Rpc;
using Grpc.Core;
using Provisioning.Contracts.V1;

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
            (_, ErrorReasons.InProgress) => new ProvisioningInProgressException(message, reason, field, e),
            (_, ErrorReasons.Unavailable) => new ProvisioningUnavailableException(message, reason, field, e),
            (StatusCode.PermissionDenied, _) => new ProvisioningPermissionDeniedException(message, reason, field, e),
            (StatusCode.Unavailable, null) => IsSocketAccessDenied(e)
                ? new ProvisioningPermissionDeniedException($"not allowed to open {socketPath}: the socket is open to the daemon's group only (Grpc:SocketGroup)", reason, field, e)
                : new DaemonUnreachableException($"provisioningd does not answer on {socketPath}: {Unreachable(e, socketPath)}", reason, field, e),
            _ => new ProvisioningException(message, reason, field, e),
        };
    }

    /// <summary>The socket's file does not let this caller connect (EACCES): it is not in the daemon's socket group.</summary>
    public static bool IsSocketAccessDenied(RpcException e) =>
        e.StatusCode == StatusCode.Unavailable && SocketErrorOf(e.Status.DebugException) == SocketError.AccessDenied;

    /// <summary>Why the socket could not be reached, in the words of someone who has to fix it.</summary>
    private static string Unreachable(RpcException e, string socketPath) => SocketErrorOf(e.Status.DebugException) switch
    {
        _ when !File.Exists(socketPath) => "there is no socket there (is provisioningd running, and is this its Grpc:SocketPath?)",
        SocketError.ConnectionRefused => "nothing listens on it (provisioningd is not running)",
        _ => e.Status.DebugException?.Message ?? e.Status.Detail,
    };

    private static SocketError? SocketErrorOf(Exception? exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            if (current is SocketException socket)
            {
                return socket.SocketErrorCode;
            }
        }

        return null;
    }
}
