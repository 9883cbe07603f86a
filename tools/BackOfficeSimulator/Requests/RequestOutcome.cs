using System.Text.Json.Serialization;

namespace Provisioning.BackOfficeSimulator;

/// <summary>How the simulator ended a request.</summary>
internal enum RequestOutcome
{
    /// <summary>Still being handled (e.g. inside an injected delay).</summary>
    [JsonStringEnumMemberName("pending")]
    Pending,

    /// <summary>A complete answer with <see cref="RecordedRequest.Status"/>.</summary>
    [JsonStringEnumMemberName("answered")]
    Answered,

    /// <summary>The connection was reset without an answer.</summary>
    [JsonStringEnumMemberName("reset")]
    Reset,

    /// <summary>Status and headers were sent, then part of the body, then the connection was aborted.</summary>
    [JsonStringEnumMemberName("truncated")]
    Truncated,

    /// <summary>The client went away first (e.g. its timeout ended an injected delay).</summary>
    [JsonStringEnumMemberName("clientAborted")]
    ClientAborted,
}
