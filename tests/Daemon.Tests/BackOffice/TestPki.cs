using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Provisioning.Daemon.Tests.BackOffice;

/// <summary>A throw-away PKI for TLS tests: a CA, a loopback server certificate and a device client certificate.</summary>
internal sealed class TestPki : IDisposable
{
    private static readonly DateTimeOffset NotBefore = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    public TestPki(string name)
    {
        Ca = CreateCa($"CN={name} Root CA");
        Server = Issue(Ca, "CN=127.0.0.1", serverAuth: true);
        Client = Issue(Ca, "CN=WPE00000uCfrLF45", serverAuth: false);
    }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 Server { get; }

    public X509Certificate2 Client { get; }

    /// <summary>Writes ca.pem, client.pem, client.key, client.pfx and client.pfx.password into the folder.</summary>
    public void WriteFiles(string folder, string password = "pfx-password")
    {
        File.WriteAllText(Path.Combine(folder, "ca.pem"), Ca.ExportCertificatePem());
        File.WriteAllText(Path.Combine(folder, "client.pem"), Client.ExportCertificatePem());
        using RSA key = Client.GetRSAPrivateKey()!;
        File.WriteAllText(Path.Combine(folder, "client.key"), key.ExportPkcs8PrivateKeyPem());
        File.WriteAllBytes(Path.Combine(folder, "client.pfx"), Client.Export(X509ContentType.Pkcs12, password));
        File.WriteAllText(Path.Combine(folder, "client.pfx.password"), password + "\n");
    }

    public void Dispose()
    {
        Ca.Dispose();
        Server.Dispose();
        Client.Dispose();
    }

    private static X509Certificate2 CreateCa(string subject)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        return request.CreateSelfSigned(NotBefore, NotBefore.AddYears(30));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string subject, bool serverAuth)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(serverAuth ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
        if (serverAuth)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            names.AddDnsName("localhost");
            request.CertificateExtensions.Add(names.Build());
        }

        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using X509Certificate2 issued = request.Create(ca, NotBefore, NotBefore.AddYears(10), serial);
        X509Certificate2 withKey = issued.CopyWithPrivateKey(key);

        // Through PKCS#12 so the server side (Kestrel) can use the key on every platform.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }
}
