using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Provisioning.BackOfficeSimulator.Tests.Infrastructure;

namespace Provisioning.BackOfficeSimulator.Tests.Hosting;

public sealed class MutualTlsTests : IDisposable
{
    private readonly X509Certificate2 _server = SelfSigned("CN=127.0.0.1", serverForLoopback: true);
    private readonly X509Certificate2 _client = SelfSigned("CN=WPE00000uCfrLF45", serverForLoopback: false);

    [Fact]
    public async Task Https_RequiredClientCertificatePresented_Answers200AndRecordsItsThumbprint()
    {
        await using SimulatorServer server = await StartAsync();
        using HttpClient client = Client(server, _client);

        using HttpResponseMessage response = await client.ProvisionAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Uri.UriSchemeHttps, server.BaseAddress.Scheme);
        Assert.Equal(_client.GetCertHashString(HashAlgorithmName.SHA256), Assert.Single(server.Requests).ClientCertificate);
    }

    [Fact]
    public async Task Https_RequiredClientCertificateMissing_FailsTheHandshake()
    {
        await using SimulatorServer server = await StartAsync();
        using HttpClient client = Client(server, certificate: null);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.ProvisionAsync());
        Assert.Empty(server.Requests);
    }

    [Fact]
    public async Task Https_WithoutCertificate_IsAnInvalidConfiguration()
    {
        var options = new SimulatorOptions { Url = "https://127.0.0.1:0" };

        var error = await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(() => SimulatorServer.StartAsync(options));

        Assert.Contains("Simulator:CertificatePath", error.Message, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        _server.Dispose();
        _client.Dispose();
    }

    private Task<SimulatorServer> StartAsync() => TestSimulator.StartAsync(o =>
    {
        o.Url = "https://127.0.0.1:0";
        o.ServerCertificate = _server;
        o.ClientCertificates = ClientCertificateMode.RequireCertificate;
    });

    private HttpClient Client(SimulatorServer server, X509Certificate2? certificate)
    {
        var handler = new SocketsHttpHandler();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, presented, _, _) =>
            presented is not null && presented.GetCertHashString() == _server.GetCertHashString();
        if (certificate is not null)
        {
            handler.SslOptions.ClientCertificates = [certificate];
        }

        return new HttpClient(handler) { BaseAddress = server.BaseAddress, Timeout = TestSimulator.Patience };
    }

    private static X509Certificate2 SelfSigned(string subject, bool serverForLoopback)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
            [new Oid(serverForLoopback ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], critical: false));
        if (serverForLoopback)
        {
            var names = new SubjectAlternativeNameBuilder();
            names.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(names.Build());
        }

        DateTimeOffset now = TimeProvider.System.GetUtcNow();
        return request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
    }
}
