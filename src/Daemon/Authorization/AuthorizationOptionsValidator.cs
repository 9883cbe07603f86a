using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.Authorization;

[OptionsValidator]
internal sealed partial class AuthorizationOptionsValidator : IValidateOptions<AuthorizationOptions>
{
}
