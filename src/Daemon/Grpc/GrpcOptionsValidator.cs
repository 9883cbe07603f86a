using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.Grpc;

[OptionsValidator]
internal sealed partial class GrpcOptionsValidator : IValidateOptions<GrpcOptions>
{
}
