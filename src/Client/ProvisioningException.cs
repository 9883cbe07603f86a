using Grpc.Core;

namespace Provisioning.Client;

/// <summary>The daemon refused or failed a call. Subclasses name the cases callers handle.</summary>
public class ProvisioningException : Exception
{
    /// <summary>Creates an exception with no details.</summary>
    public ProvisioningException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public ProvisioningException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause, usually an <see cref="RpcException"/>.</param>
    public ProvisioningException(string message, Exception innerException)
        : base(message, innerException)
    {
        if (innerException is RpcException rpc)
        {
            StatusCode = rpc.StatusCode;
        }
    }

    /// <summary>Creates an exception from the daemon's answer.</summary>
    /// <param name="message">The daemon's message.</param>
    /// <param name="reason">The reason name (Thunder's, e.g. ERROR_INPROGRESS), if the daemon gave one.</param>
    /// <param name="field">The request field the daemon found wrong, if any.</param>
    /// <param name="innerException">The <see cref="RpcException"/> the call ended with.</param>
    public ProvisioningException(string message, string? reason, string? field, RpcException innerException)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(innerException);
        StatusCode = innerException.StatusCode;
        Reason = reason;
        Field = field;
    }

    /// <summary>The gRPC status code the call ended with.</summary>
    public StatusCode StatusCode { get; }

    /// <summary>The reason name from google.rpc.ErrorInfo, e.g. <c>ERROR_INPROGRESS</c> or <c>ERROR_UNAVAILABLE</c>.</summary>
    public string? Reason { get; }

    /// <summary>The request field named by google.rpc.BadRequest, e.g. <c>label</c> or <c>index</c>.</summary>
    public string? Field { get; }
}
