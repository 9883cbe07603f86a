namespace Provisioning.Daemon.Engine;

/// <summary>Why the engine refused a request. Transports map these in one place each.</summary>
internal enum EngineError
{
    None,

    /// <summary>A run is in progress (Thunder 12 ERROR_INPROGRESS).</summary>
    InProgress,

    /// <summary>No usable back-office client (Thunder 2 ERROR_UNAVAILABLE).</summary>
    Unavailable,

    /// <summary>Nothing is provisioned yet, so there is no label to act on.</summary>
    NotProvisioned,

    /// <summary>The label is not in the stored provisioning.</summary>
    UnknownLabel,

    /// <summary>The slot index is outside the label's key slots.</summary>
    IndexOutOfRange,
}
