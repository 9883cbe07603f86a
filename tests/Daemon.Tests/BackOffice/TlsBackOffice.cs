using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;

namespace Provisioning.Daemon.Tests.BackOffice;

/// <summary>
/// A minimal HTTPS back office on a real loopback port that requires a client certificate from its CA
/// and records who connected. (The simulator speaks plain HTTP; mutual TLS is the client's to prove.)
/// </summary>
internal sealed class TlsBackOffice : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly List<string> _clients = [];

    private TlsBackOffice(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IReadOnlyList<string> ClientSubjects
    {
        get
        {
            lock (_clients)
            {
                return [.. _clients];
            }
        }
    }

    public static async Task<TlsBackOffice> StartAsync(X509Certificate2 serverCertificate, X509Certificate2 clientCa)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(new HttpsConnectionAdapterOptions
        {
            ServerCertificate = serverCertificate,
            ClientCertificateMode = ClientCertificateMode.RequireCertificate,
            ClientCertificateValidation = (certificate, _, _) => IsIssuedBy(certificate, clientCa),
        })));
        WebApplication app = builder.Build();
        TlsBackOffice? server = null;
        app.MapPost("/v1/devices/{id}/provision", (HttpContext context) =>
        {
            lock (server!._clients)
            {
                server._clients.Add(context.Connection.ClientCertificate?.Subject ?? "none");
            }

            return Results.Text(ProvisioningJson.Valid(), "application/json");
        });
        await app.StartAsync();
        string address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server = new TlsBackOffice(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static bool IsIssuedBy(X509Certificate2 certificate, X509Certificate2 ca)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(certificate);
    }
}
