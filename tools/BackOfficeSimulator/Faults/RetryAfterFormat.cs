using System.Text.Json.Serialization;

namespace Provisioning.BackOfficeSimulator;

/// <summary>How <see cref="FaultSpec.RetryAfter"/> is written in the Retry-After header.</summary>
internal enum RetryAfterFormat
{
    /// <summary>delta-seconds, e.g. "Retry-After: 5".</summary>
    [JsonStringEnumMemberName("seconds")]
    Seconds,

    /// <summary>An HTTP-date: now (from the TimeProvider) plus the seconds, rounded up to the whole second.</summary>
    [JsonStringEnumMemberName("date")]
    Date,

    /// <summary>No header at all (a 202 then leaves the client to its default).</summary>
    [JsonStringEnumMemberName("none")]
    None,
}
