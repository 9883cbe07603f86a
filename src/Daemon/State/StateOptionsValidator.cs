using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.State;

[OptionsValidator]
internal sealed partial class StateOptionsValidator : IValidateOptions<StateOptions>;
