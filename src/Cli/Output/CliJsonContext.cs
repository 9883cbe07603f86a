using System.Text.Json.Serialization;

namespace Provisioning.Cli.Output;

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(StateView))]
[JsonSerializable(typeof(KeyView))]
[JsonSerializable(typeof(ProvisionView))]
[JsonSerializable(typeof(IdView))]
[JsonSerializable(typeof(IndexView))]
internal sealed partial class CliJsonContext : JsonSerializerContext
{
}
