namespace Provisioning.Daemon.State;

/// <summary>The state could not be written; the previous state is still in place.</summary>
internal sealed class StateStoreException : Exception
{
    public StateStoreException()
    {
    }

    public StateStoreException(string message)
        : base(message)
    {
    }

    public StateStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
