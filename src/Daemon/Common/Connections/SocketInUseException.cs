namespace Provisioning.Daemon.Common.Connections;

/// <summary>Another process answers on a socket file the daemon would listen on; the daemon will not steal it.</summary>
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
