namespace Provisioning.Daemon.Engine;

/// <summary>A state subscriber fell too far behind and was dropped.</summary>
internal sealed class SubscriberOverflowException : Exception
{
    public SubscriberOverflowException()
        : base("The subscriber fell too far behind the state stream and was dropped.")
    {
    }

    public SubscriberOverflowException(string message)
        : base(message)
    {
    }

    public SubscriberOverflowException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
