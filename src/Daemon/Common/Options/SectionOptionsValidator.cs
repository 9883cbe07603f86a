using System.Buffers;
using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.Common.Options;

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
            ? ValidateOptionsResult.Fail(result.Failures!.Select(failure => $"{sectionName}:{AsKey(failure)}"))
            : result;
    }

    /// <summary>
    /// The generated validator names a nested member by its own name only ("BaseDelay: The field
    /// BackOfficeOptions.Retry.BaseDelay ..."); the path in its message gives the key ("Retry:BaseDelay").
    /// </summary>
    private static string AsKey(string failure)
    {
        const string Field = ": The field ";
        int colon = failure.IndexOf(Field, StringComparison.Ordinal);
        if (colon <= 0 || failure.AsSpan(0, colon).ContainsAnyExcept(WordCharacters))
        {
            return failure;
        }

        // "<Type>.<path> ..." after ": The field ": the path is everything after the type, up to the space.
        int typeStart = colon + Field.Length;
        int space = failure.IndexOf(' ', typeStart);
        int dot = space < 0 ? -1 : failure.IndexOf('.', typeStart, space - typeStart);
        if (dot < 0 || failure.AsSpan(typeStart, dot - typeStart).ContainsAnyExcept(WordCharacters))
        {
            return failure;
        }

        string path = failure[(dot + 1)..space];
        return path.Length == 0 || path.AsSpan().ContainsAnyExcept(PathCharacters)
            ? failure
            : path.Replace('.', ':') + failure[colon..];
    }

    private const string Word = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_";
    private static readonly SearchValues<char> WordCharacters = SearchValues.Create(Word);
    private static readonly SearchValues<char> PathCharacters = SearchValues.Create(Word + ".");
}
