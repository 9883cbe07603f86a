using System.Text.Json.Serialization;

namespace Provisioning.BackOfficeSimulator;

/// <summary>Which requests a fault may be consumed by.</summary>
internal enum FaultTarget
{
    /// <summary>Provision requests and operation polls.</summary>
    [JsonStringEnumMemberName("any")]
    Any,

    /// <summary>POST /v1/devices/{id}/provision only.</summary>
    [JsonStringEnumMemberName("provision")]
    Provision,

    /// <summary>GET /v1/operations/{operation} only.</summary>
    [JsonStringEnumMemberName("poll")]
    Poll,
}
