using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Provisioning.Daemon.BackOffice;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.BackOffice;

/// <summary>Mutual TLS and the pinned CA bundle, on a real HTTPS listener, through the daemon's own registration.</summary>
public sealed class BackOfficeTlsTests
{
    [Theory]
    [InlineData("pem")]
    [InlineData("pfx")]
    public async Task RunAsync_ClientCertificateAndPinnedCa_Provisions(string format)
    {
        using var temp = new TempDirectory();
        using var pki = new TestPki("Operator");
        pki.WriteFiles(temp.Path);
        await using TlsBackOffice server = await TlsBackOffice.StartAsync(pki.Server, pki.Ca);
        Dictionary<string, string?> settings = format == "pem"
            ? new() { ["BackOffice:ClientCertificateFile"] = temp.Combine("client.pem"), ["BackOffice:ClientKeyFile"] = temp.Combine("client.key") }
            : new() { ["BackOffice:ClientCertificateFile"] = temp.Combine("client.pfx"), ["BackOffice:ClientCertificatePasswordFile"] = temp.Combine("client.pfx.password") };
        settings["BackOffice:CaBundleFile"] = temp.Combine("ca.pem");

        (RunOutcome outcome, _) = await RunAsync(server, settings);

        Assert.IsType<RunOutcome.Provisioned>(outcome);
        Assert.Equal(["CN=WPE00000uCfrLF45"], server.ClientSubjects);
    }

    [Fact]
    public async Task RunAsync_ServerCertificateFromAnotherCa_IsATlsFailureAndNeverProvisions()
    {
        using var temp = new TempDirectory();
        using var pinned = new TestPki("Operator");
        using var rogue = new TestPki("Rogue");
        pinned.WriteFiles(temp.Path);
        await using TlsBackOffice server = await TlsBackOffice.StartAsync(rogue.Server, pinned.Ca);

        (RunOutcome outcome, List<RunProgress> progress) = await RunAsync(server, new()
        {
            ["BackOffice:ClientCertificateFile"] = temp.Combine("client.pem"),
            ["BackOffice:ClientKeyFile"] = temp.Combine("client.key"),
            ["BackOffice:CaBundleFile"] = temp.Combine("ca.pem"),
        }, stopAtFirstFailure: true);

        var gaveUp = Assert.IsType<RunOutcome.GaveUp>(outcome);
        Assert.Equal(0, gaveUp.Status);
        RunProgress failure = progress.First(p => p.Kind == RunProgressKind.AttemptFailed);
        Assert.Equal(0, failure.Status);
        Assert.Contains("TLS failure", failure.Reason, StringComparison.Ordinal);
        Assert.Empty(server.ClientSubjects);
    }

    [Fact]
    public async Task RunAsync_NoPinnedCa_RefusesTheUnknownCaOfTheServer()
    {
        using var temp = new TempDirectory();
        using var pki = new TestPki("Operator");
        pki.WriteFiles(temp.Path);
        await using TlsBackOffice server = await TlsBackOffice.StartAsync(pki.Server, pki.Ca);

        (RunOutcome outcome, List<RunProgress> progress) = await RunAsync(server, new()
        {
            ["BackOffice:ClientCertificateFile"] = temp.Combine("client.pem"),
            ["BackOffice:ClientKeyFile"] = temp.Combine("client.key"),
        }, stopAtFirstFailure: true);

        Assert.IsType<RunOutcome.GaveUp>(outcome);
        Assert.Contains("TLS failure", progress.First(p => p.Kind == RunProgressKind.AttemptFailed).Reason, StringComparison.Ordinal);
        Assert.Empty(server.ClientSubjects);
    }

    /// <param name="stopAtFirstFailure">Cancel the run once an attempt has failed: the test has seen what it needs, however slow the machine.</param>
    private static async Task<(RunOutcome Outcome, List<RunProgress> Progress)> RunAsync(
        TlsBackOffice server, Dictionary<string, string?> settings, bool stopAtFirstFailure = false)
    {
        settings["BackOffice:Url"] = server.BaseAddress.ToString();
        settings["BackOffice:Retry:BaseDelay"] = "00:00:00.100";
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        await using ServiceProvider provider = new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System).AddBackOffice(configuration).BuildServiceProvider();
        var client = provider.GetRequiredService<BackOfficeClient>();
        var progress = new List<RunProgress>();
        using var stop = new CancellationTokenSource();
        RunOutcome outcome = await client.RunAsync(
            new ProvisionRequest(ProvisioningJson.DeviceId, Guid.NewGuid()),
            p =>
            {
                lock (progress)
                {
                    progress.Add(p);
                }

                if (stopAtFirstFailure && p.Kind == RunProgressKind.AttemptFailed)
                {
                    stop.Cancel();
                }
            },
            stop.Token);
        return (outcome, progress);
    }
}
