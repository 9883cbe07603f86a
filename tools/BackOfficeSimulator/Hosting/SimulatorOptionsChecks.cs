using Microsoft.Extensions.Options;

namespace Provisioning.BackOfficeSimulator;

/// <summary>Every rule on <see cref="SimulatorOptions"/>: the generated annotations plus the rules across fields.</summary>
internal static class SimulatorOptionsChecks
{
    private const string Prefix = SimulatorOptions.SectionName + ":";

    public static IReadOnlyList<string> Validate(SimulatorOptions options)
    {
        List<string> failures = [];
        ValidateOptionsResult generated = new SimulatorOptionsValidator().Validate(null, options);
        if (generated.Failed)
        {
            failures.AddRange(generated.Failures);
        }

        foreach (string url in options.Url.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            {
                failures.Add($"{Prefix}Url '{url}' must be an absolute http:// or https:// URL such as http://127.0.0.1:8080.");
            }
            else if (uri.Scheme == Uri.UriSchemeHttps && options.ServerCertificate is null && string.IsNullOrEmpty(options.CertificatePath))
            {
                failures.Add($"{Prefix}Url '{url}' is https:// but no certificate is set ({Prefix}CertificatePath).");
            }
        }

        if (!Enum.IsDefined(options.ClientCertificates))
        {
            failures.Add($"{Prefix}ClientCertificates must be NoCertificate, AllowCertificate or RequireCertificate.");
        }

        if (options.ServerCertificate is { HasPrivateKey: false })
        {
            failures.Add($"{Prefix}ServerCertificate has no private key.");
        }

        if (options.TimeProvider is null)
        {
            failures.Add($"{Prefix}TimeProvider must not be null.");
        }

        if (options.Lifetime is { } lifetime && lifetime < TimeSpan.Zero)
        {
            failures.Add($"{Prefix}Lifetime must be positive, or 0 for no expires.");
        }

        IReadOnlyList<string> labels = options.EffectiveDefaultLabels();
        if (labels.Any(l => !ProtocolRules.IsValidLabel(l)) || labels.Distinct(StringComparer.Ordinal).Count() != labels.Count)
        {
            failures.Add($"{Prefix}DefaultLabels must be unique labels of 1-64 characters of [A-Za-z0-9._-].");
        }

        for (int i = 0; i < options.Devices.Count; i++)
        {
            DeviceSeed seed = options.Devices[i];
            if (!ProtocolRules.IsValidProvisionId(seed.Id))
            {
                failures.Add($"{Prefix}Devices:{i}:Id '{seed.Id}' is not a provision ID (WPE and 13 base62 characters).");
            }

            if (seed.Labels.Any(l => !ProtocolRules.IsValidLabel(l)) || seed.Labels.Distinct(StringComparer.Ordinal).Count() != seed.Labels.Count)
            {
                failures.Add($"{Prefix}Devices:{i}:Labels must be unique labels of 1-64 characters of [A-Za-z0-9._-].");
            }
        }

        if (options.Faults.Count > FaultPlan.MaxEntries)
        {
            failures.Add($"{Prefix}Faults holds more than {FaultPlan.MaxEntries} entries.");
        }

        for (int i = 0; i < options.Faults.Count; i++)
        {
            failures.AddRange(options.Faults[i].Validate($"{Prefix}Faults:{i}:"));
        }

        return failures;
    }

    public static void ThrowIfInvalid(SimulatorOptions options)
    {
        IReadOnlyList<string> failures = Validate(options);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(SimulatorOptions.SectionName, typeof(SimulatorOptions), failures);
        }
    }
}
