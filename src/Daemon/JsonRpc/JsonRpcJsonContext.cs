using System.Text.Json.Serialization;

namespace Provisioning.Daemon.JsonRpc;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(StateResult))]
[JsonSerializable(typeof(PluginStatus[]))]
internal sealed partial class JsonRpcJsonContext : JsonSerializerContext;
