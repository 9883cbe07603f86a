using System.Text.Json;
using System.Text.Json.Serialization;

namespace Provisioning.BackOfficeSimulator;

[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(ProvisionRequestBody))]
[JsonSerializable(typeof(ProvisioningBody))]
[JsonSerializable(typeof(OperationBody))]
[JsonSerializable(typeof(ErrorBody))]
[JsonSerializable(typeof(FaultSpec))]
[JsonSerializable(typeof(List<FaultSpec>))]
[JsonSerializable(typeof(IReadOnlyList<FaultSpec>))]
[JsonSerializable(typeof(IReadOnlyList<RecordedRequest>))]
[JsonSerializable(typeof(IReadOnlyList<DeviceSummary>))]
[JsonSerializable(typeof(DeviceSummary))]
[JsonSerializable(typeof(DeviceDetails))]
[JsonSerializable(typeof(DeviceRequest))]
internal sealed partial class SimulatorJsonContext : JsonSerializerContext;
