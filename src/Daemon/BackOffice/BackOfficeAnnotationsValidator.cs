using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.BackOffice;

/// <summary>
/// Runs the source-generated <see cref="BackOfficeOptionsValidator"/> and words its failures with the
/// configuration key ("The field BackOffice:Retry:BaseDelay must be between ..."), which is what an
/// operator has to fix. (The generated range checks ignore ErrorMessage, hence the rewriting.)
/// </summary>
internal sealed partial class BackOfficeAnnotationsValidator : IValidateOptions<BackOfficeOptions>
{
    private readonly BackOfficeOptionsValidator _generated = new();

    public ValidateOptionsResult Validate(string? name, BackOfficeOptions options)
    {
        ValidateOptionsResult result = _generated.Validate(string.IsNullOrEmpty(name) ? BackOfficeOptions.SectionName : name, options);
        return result.Failed ? ValidateOptionsResult.Fail(result.Failures!.Select(Reword)) : result;
    }

    private static string Reword(string failure)
    {
        // "Member: text" -> "text", with "BackOffice.Retry.BaseDelay" written as the key "BackOffice:Retry:BaseDelay".
        string text = MemberPrefix().Replace(failure, string.Empty, 1);
        return SettingPath().Replace(text, m => m.Value.Replace('.', ':'));
    }

    [GeneratedRegex(@"^[A-Za-z]+: ")]
    private static partial Regex MemberPrefix();

    [GeneratedRegex(@"\bBackOffice(\.[A-Za-z]+)+")]
    private static partial Regex SettingPath();
}
