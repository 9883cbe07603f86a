using Microsoft.Extensions.Options;

namespace Provisioning.Daemon.Common.Options;

/// <summary>
/// Reads every validated section once, before anything else resolves one, and reports every bad setting in
/// one <see cref="OptionsValidationException"/> (exit 78): a failed validation, and a value the binder cannot
/// convert ("Boot:MaxDelay: 'abc' is not a duration"), which would otherwise surface alone, as a start failure.
/// </summary>
internal static class SettingsCheck
{
    /// <summary>One section to read; <see cref="ValidatedOptionsExtensions.ValidateSection"/> registers it.</summary>
    internal sealed class Section(Action<IServiceProvider> read)
    {
        public void Read(IServiceProvider services) => read(services);
    }

    public static void Run(IServiceProvider services)
    {
        // A section with two validators (State) is registered twice; its failures are reported once.
        var failures = new List<string>();
        foreach (Section section in services.GetServices<Section>())
        {
            try
            {
                section.Read(services);
            }
            catch (OptionsValidationException exception)
            {
                failures.AddRange(exception.Failures);
            }
            catch (InvalidOperationException exception) when (ConversionFailure(exception) is { } failure)
            {
                failures.Add(failure);
            }
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(string.Empty, typeof(SettingsCheck), failures.Distinct(StringComparer.Ordinal));
        }
    }

    /// <summary>A bad setting (a failed validation, a value the binder cannot convert), not another start failure.</summary>
    public static bool IsSettingsFailure(Exception exception) =>
        exception is OptionsValidationException || (exception is InvalidOperationException invalid && ConversionFailure(invalid) is not null);

    /// <summary>The binder's "Failed to convert configuration value 'abc' at 'Boot:MaxDelay' to type 'System.TimeSpan'." as a setting's failure.</summary>
    private static string? ConversionFailure(InvalidOperationException exception)
    {
        const string Start = "Failed to convert configuration value '", At = "' at '", ToType = "' to type '", End = "'.";
        string message = exception.Message;
        int toType = message.LastIndexOf(ToType, StringComparison.Ordinal);
        int at = toType < 0 ? -1 : message.LastIndexOf(At, toType, StringComparison.Ordinal);
        if (!message.StartsWith(Start, StringComparison.Ordinal) || !message.EndsWith(End, StringComparison.Ordinal) || at < Start.Length)
        {
            return null;
        }

        string value = message[Start.Length..at];
        string key = message[(at + At.Length)..toType];
        string expected = message[(toType + ToType.Length)..^End.Length] switch
        {
            "System.TimeSpan" => "a duration ([d.]hh:mm:ss)",
            "System.Boolean" => "true or false",
            "System.Int32" or "System.Int64" or "System.UInt32" or "System.UInt64" => "a whole number in range",
            "System.Double" => "a number (with a '.')",
            "System.Uri" => "a URL",
            _ => "one of the values docs/configuration.md lists for it",
        };
        return $"{key}: '{value}' is not {expected}";
    }
}
