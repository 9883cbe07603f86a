namespace Provisioning.Contracts.V1;

/// <summary>
/// The reasons provisioningd puts in the <c>google.rpc.ErrorInfo</c> detail of a failed call (domain
/// <see cref="Domain"/>): Thunder's error names where Thunder has one, so that one vocabulary serves both APIs.
/// The daemon and the client library both take them from here.
/// </summary>
public static class ErrorReasons
{
    /// <summary>The ErrorInfo domain of every reason below.</summary>
    public const string Domain = "provisioning.v1";

    /// <summary>A provisioning run is in progress (FAILED_PRECONDITION; Thunder 12).</summary>
    public const string InProgress = "ERROR_INPROGRESS";

    /// <summary>No usable back-office client: not configured, identity unreadable or store unusable (UNAVAILABLE; Thunder 2).</summary>
    public const string Unavailable = "ERROR_UNAVAILABLE";

    /// <summary>The label is not in the stored provisioning (NOT_FOUND; Thunder 22).</summary>
    public const string UnknownKey = "ERROR_UNKNOWN_KEY";

    /// <summary>The index is outside the label's key slots (INVALID_ARGUMENT; Thunder 45).</summary>
    public const string InvalidRange = "ERROR_INVALID_RANGE";

    /// <summary>A request field is invalid (INVALID_ARGUMENT; Thunder 30); the BadRequest detail names the field.</summary>
    public const string BadRequest = "ERROR_BAD_REQUEST";

    /// <summary>Nothing is provisioned yet (FAILED_PRECONDITION).</summary>
    public const string NotProvisioned = "ERROR_NOT_PROVISIONED";

    /// <summary>The caller is not allowed to make this call (PERMISSION_DENIED).</summary>
    public const string PermissionDenied = "ERROR_PERMISSION_DENIED";

    /// <summary>A state watcher fell too far behind and was ended (RESOURCE_EXHAUSTED).</summary>
    public const string WatcherOverflow = "ERROR_WATCHER_OVERFLOW";

    /// <summary>The daemon gave an answer it should not (INTERNAL).</summary>
    public const string General = "ERROR_GENERAL";
}
