namespace Provisioning.Daemon.Fuzz;

/// <summary>An input broke one of a reader's promises: a defect, reported to the fuzzer as a crash.</summary>
public sealed class FuzzFindingException : Exception
{
    public FuzzFindingException()
    {
    }

    public FuzzFindingException(string message)
        : base(message)
    {
    }

    public FuzzFindingException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Throws when <paramref name="promise"/> does not hold.</summary>
    public static void Check(bool promise, string broken)
    {
        if (!promise)
        {
            throw new FuzzFindingException(broken);
        }
    }
}
