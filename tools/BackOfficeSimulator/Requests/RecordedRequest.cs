namespace Provisioning.BackOfficeSimulator;

/// <summary>One request the simulator received on /v1 (admin requests are not recorded).</summary>
/// <param name="Sequence">1 for the first request since start; never reused, also after the log is cleared.</param>
/// <param name="Time">Arrival, from the simulator's TimeProvider.</param>
/// <param name="DeviceId">The provision ID of the URL, or of the polled operation's device.</param>
/// <param name="HasAuthorization">Whether an Authorization header was present (its value is never recorded).</param>
/// <param name="Body">The request body as text, at most 4 KiB.</param>
/// <param name="Fault">The fault this request consumed, if any.</param>
/// <param name="Status">The status sent; 0 when none was (reset, client gone, still pending).</param>
/// <param name="ClientCertificate">SHA-256 thumbprint (hex) of the TLS client certificate, when one was presented.</param>
/// <param name="NotBefore">When the answer carried Retry-After: the earliest time it allows the next request
/// (the seconds counted from when the answer was made, or the date), on the simulator's TimeProvider.</param>
internal sealed record RecordedRequest(
    long Sequence,
    DateTimeOffset Time,
    string Method,
    string Path,
    string? DeviceId,
    string? IdempotencyKey,
    bool HasAuthorization,
    string? UserAgent,
    string? Accept,
    string? Body,
    FaultKind? Fault,
    int Status,
    RequestOutcome Outcome,
    string? ClientCertificate = null,
    DateTimeOffset? NotBefore = null)
{
    /// <summary>The status as text, or "reset" / "truncated" / "clientAborted" / "pending".</summary>
    public string Answer => Outcome switch
    {
        RequestOutcome.Answered => Status.ToString(System.Globalization.CultureInfo.InvariantCulture),
        RequestOutcome.Reset => "reset",
        RequestOutcome.Truncated => "truncated",
        RequestOutcome.ClientAborted => "clientAborted",
        _ => "pending",
    };
}
