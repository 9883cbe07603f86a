using System.Text.Json.Serialization;

namespace Provisioning.Daemon.BackOffice.Wire;

/// <summary>The body of a 4xx answer.</summary>
internal sealed class ErrorBody
{
    [JsonPropertyName("error")]
    public string? Error { get; set; }

    [JsonPropertyName("message")]
    public string? Message { get; set; }
}
