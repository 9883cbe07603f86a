using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.Common.Options;

internal static class ValidatedOptionsExtensions
{
    /// <summary>
    /// The one way options are validated: each validator (the source-generated one and any hand-written
    /// cross-field one) runs at start (<see cref="SettingsCheck"/>), and every failure names the setting ("Boot:MaxDelay: ...").
    /// Binding stays at the call site, where the configuration binder's source generator can see the type.
    /// </summary>
    public static OptionsBuilder<TOptions> ValidateSection<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] TOptions>(
        this OptionsBuilder<TOptions> builder,
        string sectionName,
        params IValidateOptions<TOptions>[] validators)
        where TOptions : class
    {
        foreach (IValidateOptions<TOptions> validator in validators)
        {
            builder.Services.AddSingleton<IValidateOptions<TOptions>>(new SectionOptionsValidator<TOptions>(sectionName, validator));
        }

        builder.Services.AddSingleton(new SettingsCheck.Section(services => _ = services.GetRequiredService<IOptionsMonitor<TOptions>>().Get(builder.Name)));
        return builder;
    }
}
