using System.Security.Cryptography.X509Certificates;
using System.Text;
using Provisioning.Daemon.Common.Files;

namespace Provisioning.Daemon.BackOffice;

/// <summary>Loads the client certificate and the pinned CA bundle named by <see cref="BackOfficeOptions"/>.</summary>
internal static class BackOfficeCertificates
{
    private const int MaxPasswordFileBytes = 4096;

    /// <summary>The client certificate with its private key, and the intermediates that follow it in a PEM file.</summary>
    public static (X509Certificate2 Leaf, X509Certificate2Collection Intermediates) LoadClientCertificate(BackOfficeOptions options)
    {
        string path = options.ClientCertificateFile ?? throw new InvalidOperationException("BackOffice:ClientCertificateFile is not set.");
        if (IsPkcs12(path))
        {
            string? password = ReadPassword(options.ClientCertificatePasswordFile);
            X509Certificate2Collection all = X509CertificateLoader.LoadPkcs12CollectionFromFile(path, password);
            X509Certificate2 leaf = all.FirstOrDefault(c => c.HasPrivateKey)
                ?? throw new InvalidOperationException("the PKCS#12 file holds no certificate with a private key");
            all.Remove(leaf);
            return (leaf, all);
        }

        X509Certificate2 pem = X509Certificate2.CreateFromPemFile(path, options.ClientKeyFile);
        if (OperatingSystem.IsWindows())
        {
            // SChannel cannot use the ephemeral key of a PEM import; a PKCS#12 round trip persists it for the process.
            using X509Certificate2 ephemeral = pem;
            pem = X509CertificateLoader.LoadPkcs12(ephemeral.Export(X509ContentType.Pkcs12), null);
        }

        var chain = new X509Certificate2Collection();
        chain.ImportFromPemFile(path);
        var intermediates = new X509Certificate2Collection();
        foreach (X509Certificate2 cert in chain)
        {
            if (cert.Thumbprint == pem.Thumbprint)
            {
                cert.Dispose();
            }
            else
            {
                intermediates.Add(cert);
            }
        }

        return (pem, intermediates);
    }

    /// <summary>The certificates of a PEM bundle; throws when it holds none.</summary>
    public static X509Certificate2Collection LoadCaBundle(string path)
    {
        var bundle = new X509Certificate2Collection();
        bundle.ImportFromPemFile(path);
        if (bundle.Count == 0)
        {
            throw new InvalidOperationException("the file holds no PEM certificate");
        }

        return bundle;
    }

    private static bool IsPkcs12(string path) =>
        path.EndsWith(".pfx", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".p12", StringComparison.OrdinalIgnoreCase);

    private static string? ReadPassword(string? path)
    {
        if (path is null)
        {
            return null;
        }

        return Encoding.UTF8.GetString(BoundedFile.ReadAllBytes(path, MaxPasswordFileBytes)).TrimEnd('\r', '\n');
    }
}
