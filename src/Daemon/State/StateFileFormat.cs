using System.Text.Json.Serialization;

namespace Provisioning.Daemon.State;

/// <summary>
/// The on-disk shapes. The state file is an envelope {format, checksum, payload}: the payload is base64 of
/// the payload JSON so the SHA-256 checksum covers exact bytes. Keys live in a separate file whose name and
/// checksum the payload records, so a state file never points at half-written key material.
/// </summary>
internal static class StateFileFormat
{
    /// <summary>The format this build writes and reads; a newer one is moved aside, never guessed at.</summary>
    public const int Current = 1;

    public const string StateFileName = "state.json";
}

internal sealed record StateEnvelope(
    [property: JsonPropertyName("format")] int Format,
    [property: JsonPropertyName("checksum")] string Checksum,
    [property: JsonPropertyName("payload")] string Payload);

internal sealed record StatePayload(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("status")] int Status,
    [property: JsonPropertyName("issued")] DateTimeOffset? Issued,
    [property: JsonPropertyName("expires")] DateTimeOffset? Expires,
    [property: JsonPropertyName("indexes")] Dictionary<string, int> Indexes,
    [property: JsonPropertyName("keyFile")] string? KeyFile,
    [property: JsonPropertyName("keyFileChecksum")] string? KeyFileChecksum);

/// <summary>
/// The key material file's plaintext: label -> keys, in the back office's order. Each key is a base64 string in
/// the JSON, written and read by the serializer as bytes, UTF-8 to bytes: no UTF-16 copy of the keys, which at the
/// protocol's largest (16 MiB of answer) would not fit under the unit's heap limit (bench/README.md, "Footprint").
/// </summary>
internal sealed record KeyMaterial(
    [property: JsonPropertyName("labels")] List<KeyMaterialLabel> Labels);

internal sealed record KeyMaterialLabel(
    [property: JsonPropertyName("label")] string Label,
    [property: JsonPropertyName("keys")] List<byte[]> Keys);

[JsonSourceGenerationOptions(WriteIndented = false)]
[JsonSerializable(typeof(StateEnvelope))]
[JsonSerializable(typeof(StatePayload))]
[JsonSerializable(typeof(KeyMaterial))]
internal sealed partial class StateJsonContext : JsonSerializerContext;
