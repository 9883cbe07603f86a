namespace Provisioning.Daemon.BackOffice;

/// <summary>What an HTTP answer means for the run (docs/backoffice-protocol.md, "Answers").</summary>
internal enum AnswerKind
{
    /// <summary>200 with a valid Provisioning for this device.</summary>
    Provisioned,

    /// <summary>202 with an operation to poll.</summary>
    Accepted,

    /// <summary>Ends the run at once: 3xx (redirects are not followed) and 4xx other than 408, 425, 429.</summary>
    Permanent,

    /// <summary>Retried after back-off: 408, 425, 429 and every 5xx.</summary>
    Transient,

    /// <summary>Retried after back-off: a 200/202 whose body is not what the protocol says, a body over the size cap, or an unexpected status.</summary>
    Malformed,
}
