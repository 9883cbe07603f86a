using Grpc.Core;

namespace Provisioning.Client;

/// <summary>The caller's uid and gid are not allowed this call by the daemon's Authorization rules (PERMISSION_DENIED).</summary>
public sealed class ProvisioningPermissionDeniedException : ProvisioningException
{
    /// <summary>Creates an exception with no details.</summary>
    public ProvisioningPermissionDeniedException()
    {
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public ProvisioningPermissionDeniedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ProvisioningPermissionDeniedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Creates an exception from the daemon's answer.</summary>
    /// <param name="message">The daemon's message.</param>
    /// <param name="reason">The reason name from google.rpc.ErrorInfo, if any.</param>
    /// <param name="field">The request field the daemon found wrong, if any.</param>
    /// <param name="innerException">The <see cref="RpcException"/> the call ended with.</param>
    public ProvisioningPermissionDeniedException(string message, string? reason, string? field, RpcException innerException)
        : base(message, reason, field, innerException)
    {
    }
}
