using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.BackOffice;

/// <summary>Checks the data annotations of <see cref="BackOfficeOptions"/> (source-generated).</summary>
[OptionsValidator]
internal sealed partial class BackOfficeOptionsValidator : IValidateOptions<BackOfficeOptions>;
