using System.Text.Json.Serialization;

namespace Provisioning.Daemon.BackOffice.Wire;

/// <summary>The body of a 202 answer: the operation to poll.</summary>
internal sealed class OperationBody
{
    [JsonPropertyName("operation")]
    public string? Operation { get; set; }
}
