namespace Provisioning.Daemon.State;

/// <summary>
/// Another process holds the state directory (another provisioningd with the same State:Directory): this one does
/// not start, rather than read, clean up and overwrite what the other is writing.
/// </summary>
internal sealed class StateDirectoryInUseException : IOException
{
    public StateDirectoryInUseException()
    {
    }

    public StateDirectoryInUseException(string message)
        : base(message)
    {
    }

    public StateDirectoryInUseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
