using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.Model;

namespace Provisioning.Daemon.BackOffice;

/// <summary>The rules of <see cref="BackOfficeOptions"/> that span several settings or touch files; every failure is collected.</summary>
internal sealed class BackOfficeOptionsRules : IValidateOptions<BackOfficeOptions>
{
    public ValidateOptionsResult Validate(string? name, BackOfficeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        CheckUrl(options, failures);
        CheckLabels(options, failures);
        CheckTimes(options, failures);
        CheckFiles(options, failures);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckUrl(BackOfficeOptions options, List<string> failures)
    {
        if (!options.HasUrl)
        {
            return;
        }

        Uri url = options.Url!;
        if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add("Url: must be an absolute http:// or https:// URL.");
            return;
        }

        if (url.Scheme == Uri.UriSchemeHttp && !IsLoopback(url))
        {
            failures.Add("Url: uses plain http:// for a host that is not loopback; use https://.");
        }

        if (url.UserInfo.Length > 0)
        {
            failures.Add("Url: must not carry user information; use BackOffice:TokenFile or a client certificate.");
        }

        if (url.Query.Length > 0 || url.Fragment.Length > 0)
        {
            failures.Add("Url: must not have a query or a fragment.");
        }
    }

    private static bool IsLoopback(Uri url) =>
        string.Equals(url.IdnHost, "localhost", StringComparison.OrdinalIgnoreCase)
        || (IPAddress.TryParse(url.IdnHost, out IPAddress? address) && IPAddress.IsLoopback(address));

    private static void CheckLabels(BackOfficeOptions options, List<string> failures)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < options.Labels.Count; i++)
        {
            string label = options.Labels[i];
            if (!ProvisioningRules.IsValidLabel(label))
            {
                failures.Add($"Labels:{i}: must be 1-64 characters of [A-Za-z0-9._-].");
            }
            else if (!seen.Add(label))
            {
                failures.Add($"Labels:{i}: repeats the label '{label}'.");
            }
        }
    }

    private static void CheckTimes(BackOfficeOptions options, List<string> failures)
    {
        if (options.Retry.MaxDelay < options.Retry.BaseDelay)
        {
            failures.Add("Retry:MaxDelay: must not be less than BackOffice:Retry:BaseDelay.");
        }

        if (options.AttemptTimeout > options.RunBudget)
        {
            failures.Add("AttemptTimeout: must not be more than BackOffice:RunBudget.");
        }
    }

    private static void CheckFiles(BackOfficeOptions options, List<string> failures)
    {
        if (options.TokenFile is { } tokenFile && !File.Exists(tokenFile))
        {
            failures.Add($"TokenFile: '{tokenFile}' does not exist.");
        }

        if (options.ClientCertificateFile is null)
        {
            if (options.ClientKeyFile is not null)
            {
                failures.Add("ClientKeyFile: is set without BackOffice:ClientCertificateFile.");
            }

            if (options.ClientCertificatePasswordFile is not null)
            {
                failures.Add("ClientCertificatePasswordFile: is set without BackOffice:ClientCertificateFile.");
            }
        }
        else
        {
            CheckClientCertificate(options, failures);
        }

        if (options.CaBundleFile is { } caBundle)
        {
            try
            {
                X509Certificate2Collection bundle = BackOfficeCertificates.LoadCaBundle(caBundle);
                foreach (X509Certificate2 cert in bundle)
                {
                    cert.Dispose();
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or InvalidOperationException or InvalidDataException)
            {
                failures.Add($"CaBundleFile: '{caBundle}' cannot be used: {e.Message}");
            }
        }
    }

    private static void CheckClientCertificate(BackOfficeOptions options, List<string> failures)
    {
        try
        {
            (X509Certificate2 leaf, X509Certificate2Collection intermediates) = BackOfficeCertificates.LoadClientCertificate(options);
            if (!leaf.HasPrivateKey)
            {
                failures.Add($"ClientCertificateFile: '{options.ClientCertificateFile}' has no private key.");
            }

            leaf.Dispose();
            foreach (X509Certificate2 cert in intermediates)
            {
                cert.Dispose();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or InvalidOperationException or InvalidDataException or ArgumentException)
        {
            // The message of a failed load names the problem (missing file, bad PEM, wrong password), never the key.
            failures.Add($"ClientCertificateFile: '{options.ClientCertificateFile}' cannot be used: {e.Message}");
        }
    }
}
