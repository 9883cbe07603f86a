namespace Provisioning.Daemon.Grpc;

/// <summary>Another process answers on Grpc:SocketPath; the daemon will not steal its socket.</summary>
internal sealed class SocketInUseException : IOException
{
    public SocketInUseException()
    {
    }

    public SocketInUseException(string message)
        : base(message)
    {
    }

    public SocketInUseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
