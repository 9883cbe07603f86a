using Grpc.Core;

namespace Provisioning.Client;

/// <summary>A provisioning run is in progress (ERROR_INPROGRESS, gRPC FAILED_PRECONDITION). Retry after it ends.</summary>
public sealed class ProvisioningInProgressException : ProvisioningException
{
    /// <summary>Creates an exception with no details.</summary>
    public ProvisioningInProgressException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public ProvisioningInProgressException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ProvisioningInProgressException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception from the daemon's answer.</summary>
    /// <param name="message">The daemon's message.</param>
    /// <param name="reason">The reason name from google.rpc.ErrorInfo, if any.</param>
    /// <param name="field">The request field the daemon found wrong, if any.</param>
    /// <param name="innerException">The <see cref="RpcException"/> the call ended with.</param>
    public ProvisioningInProgressException(string message, string? reason, string? field, RpcException innerException)
        : base(message, reason, field, innerException)
    {
    }
}
