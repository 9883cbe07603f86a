using System.Security.Cryptography;
using System.Text.Json.Serialization;

namespace Provisioning.Daemon.BackOffice.Wire;

/// <summary>One label of a Provisioning with its keys (base64 on the wire, decoded as read), as it comes over the wire.</summary>
internal sealed class TokenBody
{
    [JsonPropertyName("label")]
    public string? Label { get; set; }

    [JsonPropertyName("keys")]
    [JsonConverter(typeof(Base64KeysConverter))]
    public List<byte[]?>? Keys { get; set; }

    /// <summary>Zeroes the keys as decoded: those of a refused answer are secrets too, not left for the collector.</summary>
    public void Wipe()
    {
        foreach (byte[]? key in Keys ?? [])
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }
}
