using System.Text.Json.Serialization;

namespace Provisioning.BackOfficeSimulator;

/// <summary>What an injected fault does to the request it is consumed by.</summary>
internal enum FaultKind
{
    /// <summary>Answer <see cref="FaultSpec.Status"/> with an error body (or <see cref="FaultSpec.Body"/>).</summary>
    [JsonStringEnumMemberName("status")]
    Status,

    /// <summary>Answer 202 with an operation that must be polled <see cref="FaultSpec.Polls"/> times.</summary>
    [JsonStringEnumMemberName("accepted")]
    Accepted,

    /// <summary>Answer 200 with a body that is not a valid Provisioning (<see cref="FaultSpec.Malformed"/>).</summary>
    [JsonStringEnumMemberName("malformed")]
    Malformed,

    /// <summary>Answer 200 with a Content-Length larger than the bytes sent, then abort the connection.</summary>
    [JsonStringEnumMemberName("truncated")]
    Truncated,

    /// <summary>Abort the connection (TCP reset) without answering.</summary>
    [JsonStringEnumMemberName("reset")]
    Reset,

    /// <summary>Wait <see cref="FaultSpec.DelayMs"/>, then answer normally.</summary>
    [JsonStringEnumMemberName("delay")]
    Delay,
}
