using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.JsonRpc;

[OptionsValidator]
internal sealed partial class JsonRpcOptionsValidator : IValidateOptions<JsonRpcOptions>;
