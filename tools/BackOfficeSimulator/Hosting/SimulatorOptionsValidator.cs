using Microsoft.Extensions.Options;

namespace Provisioning.BackOfficeSimulator;

/// <summary>The data-annotation rules of <see cref="SimulatorOptions"/>, generated.</summary>
[OptionsValidator]
internal sealed partial class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>;
