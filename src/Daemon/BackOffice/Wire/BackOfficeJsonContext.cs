using System.Text.Json.Serialization;

namespace Provisioning.Daemon.BackOffice.Wire;

[JsonSourceGenerationOptions(
    GenerationMode = JsonSourceGenerationMode.Metadata,
    NumberHandling = JsonNumberHandling.Strict,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Skip)]
[JsonSerializable(typeof(ProvisionRequestBody))]
[JsonSerializable(typeof(ProvisioningBody))]
[JsonSerializable(typeof(OperationBody))]
[JsonSerializable(typeof(ErrorBody))]
internal sealed partial class BackOfficeJsonContext : JsonSerializerContext;
