using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.Engine;

[OptionsValidator]
internal sealed partial class EngineOptionsValidator : IValidateOptions<EngineOptions>;
