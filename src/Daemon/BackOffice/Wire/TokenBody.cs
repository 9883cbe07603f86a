using System.Text.Json.Serialization;

namespace Provisioning.Daemon.BackOffice.Wire;

/// <summary>One label of a Provisioning with its base64 keys, as it comes over the wire.</summary>
internal sealed class TokenBody
{
    [JsonPropertyName("label")]
    public string? Label { get; set; }

    [JsonPropertyName("keys")]
    public List<string?>? Keys { get; set; }
}
