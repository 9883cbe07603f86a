using System.Text.Json.Serialization;

namespace Provisioning.BackOfficeSimulator;

/// <summary>What the back office thinks of a device; Blocked and Retired give the protocol's 403 and 410.</summary>
internal enum DeviceState
{
    [JsonStringEnumMemberName("active")]
    Active,

    /// <summary>Answers 403 forbidden.</summary>
    [JsonStringEnumMemberName("blocked")]
    Blocked,

    /// <summary>Answers 410 gone.</summary>
    [JsonStringEnumMemberName("retired")]
    Retired,
}
