using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace Provisioning.Daemon.BackOffice;

/// <summary>Builds the primary handler of the back-office HttpClient from validated options.</summary>
internal static class BackOfficeHttpHandler
{
    public static SocketsHttpHandler Create(BackOfficeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var handler = new SocketsHttpHandler
        {
            // A redirect would carry the token and the device's identity to a host nobody configured.
            AllowAutoRedirect = false,
            UseCookies = false,

            // AutomaticDecompression is left unset (None): setting it at all, even to None, compiles the decompression
            // stage, Brotli and zlib into the device build (0.9 MB; bench/README.md, "Footprint"). Answers are read as sent.
            ConnectTimeout = options.AttemptTimeout,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };

        if (options.ClientCertificateFile is not null)
        {
            (X509Certificate2 leaf, X509Certificate2Collection intermediates) = BackOfficeCertificates.LoadClientCertificate(options);

            // A certificate context is always offered, whatever CA names the server's request lists.
            handler.SslOptions.ClientCertificateContext = SslStreamCertificateContext.Create(leaf, intermediates, offline: true);
        }

        if (options.CaBundleFile is not null)
        {
            var policy = new X509ChainPolicy
            {
                TrustMode = X509ChainTrustMode.CustomRootTrust,
                RevocationMode = X509RevocationMode.NoCheck,
                DisableCertificateDownloads = true,
            };
            policy.CustomTrustStore.AddRange(BackOfficeCertificates.LoadCaBundle(options.CaBundleFile));
            handler.SslOptions.CertificateChainPolicy = policy;
        }

        return handler;
    }
}
