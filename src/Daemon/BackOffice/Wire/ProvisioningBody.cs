using System.Text.Json.Serialization;

namespace Provisioning.Daemon.BackOffice.Wire;

/// <summary>A Provisioning as it comes over the wire; nothing in it is trusted until converted and validated.</summary>
internal sealed class ProvisioningBody
{
    [JsonPropertyName("id")]
    public string? Id { get; set; }

    [JsonPropertyName("issued")]
    public DateTimeOffset? Issued { get; set; }

    [JsonPropertyName("expires")]
    public DateTimeOffset? Expires { get; set; }

    [JsonPropertyName("tokens")]
    [JsonConverter(typeof(TokensConverter))]
    public List<TokenBody?>? Tokens { get; set; }
}
