using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.Identity;

[OptionsValidator]
internal sealed partial class DeviceOptionsValidator : IValidateOptions<DeviceOptions>;
