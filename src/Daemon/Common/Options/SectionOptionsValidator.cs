using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.Common.Options;

/// <summary>
/// Runs a section's validator and names the setting in every failure ("Boot:MaxDelay: ..."), so an
/// operator reading the message knows which key to fix. Validators write failures as "Member: problem".
/// </summary>
internal sealed partial class SectionOptionsValidator<TOptions>(string sectionName, IValidateOptions<TOptions> inner) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        ValidateOptionsResult result = inner.Validate(name, options);
        return result.Failed
            ? ValidateOptionsResult.Fail(result.Failures!.Select(failure => $"{sectionName}:{AsKey(failure)}"))
            : result;
    }

    /// <summary>
    /// The generated validator names a nested member by its own name only ("BaseDelay: The field
    /// BackOfficeOptions.Retry.BaseDelay ..."); the path in its message gives the key ("Retry:BaseDelay").
    /// </summary>
    private static string AsKey(string failure)
    {
        Match generated = GeneratedFailure().Match(failure);
        return generated.Success
            ? generated.Groups["path"].Value.Replace('.', ':') + failure[generated.Groups["member"].Length..]
            : failure;
    }

    [GeneratedRegex(@"^(?<member>\w+): The field \w+\.(?<path>[\w.]+) ")]
    private static partial Regex GeneratedFailure();
}
