using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.Hosting;

/// <summary>
/// Runs a section's validator and names the setting in every failure ("Boot:MaxDelay: ..."), so an
/// operator reading the message knows which key to fix. Validators write failures as "Member: problem".
/// </summary>
internal sealed class SectionOptionsValidator<TOptions>(string sectionName, IValidateOptions<TOptions> inner) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ValidateOptionsResult result = inner.Validate(name, options);
        return result.Failed
            ? ValidateOptionsResult.Fail(result.Failures!.Select(failure => $"{sectionName}:{failure}"))
            : result;
    }
}
