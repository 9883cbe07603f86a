using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Provisioning.Daemon.BackOffice;
using Provisioning.Daemon.Common.Options;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.BackOffice;

public sealed class BackOfficeOptionsTests
{
    [Fact]
    public void Options_NoUrl_AreValidAndNotConfigured()
    {
        BackOfficeOptions options = Resolve([]);

        Assert.Null(options.Url);
        Assert.False(options.HasUrl);
    }

    [Fact]
    public void Options_EmptyUrl_AreValidAndNotConfigured()
    {
        BackOfficeOptions options = Resolve(new() { ["BackOffice:Url"] = "" });

        Assert.False(options.HasUrl);
    }

    [Fact]
    public void Options_Defaults_AreTheDocumentedOnes()
    {
        BackOfficeOptions options = Resolve(new() { ["BackOffice:Url"] = "https://backoffice.example.com/" });

        Assert.True(options.HasUrl);
        Assert.Equal(TimeSpan.FromSeconds(30), options.AttemptTimeout);
        Assert.Equal(TimeSpan.FromHours(2), options.RunBudget);
        Assert.Equal(TimeSpan.FromSeconds(2), options.DefaultPollInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), options.Retry.BaseDelay);
        Assert.Equal(TimeSpan.FromSeconds(150), options.Retry.MaxDelay);
        Assert.Equal(RetryJitter.Equal, options.Retry.Jitter);
        Assert.Equal(RetryAfterUse.Exact, options.Retry.RetryAfter);
        Assert.Equal(16 * 1024 * 1024, options.MaxResponseBytes);
        Assert.Empty(options.Labels);
        Assert.Equal(0.5, options.CircuitBreaker.FailureRatio);
        Assert.Equal(8, options.CircuitBreaker.MinimumThroughput);
        Assert.Equal(TimeSpan.FromMinutes(2), options.CircuitBreaker.SamplingDuration);
        Assert.Equal(TimeSpan.FromSeconds(30), options.CircuitBreaker.BreakDuration);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8080")]
    [InlineData("http://[::1]:8080/")]
    [InlineData("http://localhost:8080/api")]
    [InlineData("https://backoffice.example.com")]
    public void Options_AllowedUrl_IsValid(string url) =>
        Assert.True(Resolve(new() { ["BackOffice:Url"] = url }).HasUrl);

    [Theory]
    [InlineData("http://backoffice.example.com", "BackOffice:Url: uses plain http://")]
    [InlineData("http://10.0.0.1:8080", "BackOffice:Url: uses plain http://")]
    [InlineData("ftp://backoffice.example.com", "BackOffice:Url: must be an absolute http:// or https:// URL")]
    [InlineData("backoffice.example.com", "BackOffice:Url: must be an absolute http:// or https:// URL")]
    [InlineData("https://user:secret@backoffice.example.com", "BackOffice:Url: must not carry user information")]
    [InlineData("https://backoffice.example.com/?x=1", "BackOffice:Url: must not have a query")]
    public void Options_BadUrl_FailNamingTheSetting(string url, string expected)
    {
        string message = Failure(new() { ["BackOffice:Url"] = url });

        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_SeveralProblems_AreAllReported()
    {
        string message = Failure(new()
        {
            ["BackOffice:Url"] = "http://backoffice.example.com",
            ["BackOffice:AttemptTimeout"] = "00:00:00",
            ["BackOffice:Retry:BaseDelay"] = "00:01:00",
            ["BackOffice:Retry:MaxDelay"] = "00:00:10",
            ["BackOffice:CircuitBreaker:FailureRatio"] = "1.5",
            ["BackOffice:MaxResponseBytes"] = "10",
            ["BackOffice:Labels:0"] = "netflix",
            ["BackOffice:Labels:1"] = "bad label",
            ["BackOffice:Labels:2"] = "netflix",
            ["BackOffice:Model"] = "",
            ["BackOffice:ClientKeyFile"] = "/nonexistent/key.pem",
            ["BackOffice:TokenFile"] = "/nonexistent/token",
        });

        Assert.Contains("BackOffice:Url: uses plain http://", message, StringComparison.Ordinal);
        Assert.True(message.Contains("BackOffice:AttemptTimeout: The field", StringComparison.Ordinal), message);
        Assert.Contains("BackOffice:Retry:MaxDelay: must not be less than BackOffice:Retry:BaseDelay", message, StringComparison.Ordinal);
        Assert.Contains("BackOffice:CircuitBreaker:FailureRatio: The field", message, StringComparison.Ordinal);
        Assert.Contains("BackOffice:MaxResponseBytes: The field", message, StringComparison.Ordinal);
        Assert.Contains("BackOffice:Labels:1: must be 1-64 characters", message, StringComparison.Ordinal);
        Assert.Contains("BackOffice:Labels:2: repeats the label 'netflix'", message, StringComparison.Ordinal);
        Assert.Contains("BackOffice:Model", message, StringComparison.Ordinal);
        Assert.Contains("BackOffice:ClientKeyFile: is set without BackOffice:ClientCertificateFile", message, StringComparison.Ordinal);
        Assert.Contains("BackOffice:TokenFile: '/nonexistent/token' does not exist", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_AttemptTimeoutLongerThanBudget_Fail()
    {
        string message = Failure(new() { ["BackOffice:AttemptTimeout"] = "00:05:00", ["BackOffice:RunBudget"] = "00:01:00" });

        Assert.Contains("BackOffice:AttemptTimeout: must not be more than BackOffice:RunBudget", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_UnusableCertificateFiles_FailNamingTheSetting()
    {
        using var temp = new TempDirectory();
        string notPem = temp.Combine("cert.pem");
        File.WriteAllText(notPem, "not a certificate");

        string message = Failure(new()
        {
            ["BackOffice:Url"] = "https://backoffice.example.com",
            ["BackOffice:ClientCertificateFile"] = notPem,
            ["BackOffice:CaBundleFile"] = notPem,
        });

        Assert.Contains($"BackOffice:ClientCertificateFile: '{notPem}' cannot be used", message, StringComparison.Ordinal);
        Assert.Contains($"BackOffice:CaBundleFile: '{notPem}' cannot be used", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_InvalidAtStart_FailTheSettingsCheck()
    {
        using ServiceProvider provider = Services(new() { ["BackOffice:Url"] = "http://backoffice.example.com" });

        var error = Assert.Throws<OptionsValidationException>(() => SettingsCheck.Run(provider));

        Assert.Contains("BackOffice:Url", error.Message, StringComparison.Ordinal);
    }

    private static BackOfficeOptions Resolve(Dictionary<string, string?> settings)
    {
        using ServiceProvider provider = Services(settings);
        return provider.GetRequiredService<IOptions<BackOfficeOptions>>().Value;
    }

    private static string Failure(Dictionary<string, string?> settings)
    {
        using ServiceProvider provider = Services(settings);
        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<BackOfficeOptions>>().Value);
        return string.Join("\n", error.Failures) + "\n" + error.Message;
    }

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        IConfiguration configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddLogging().AddSingleton(TimeProvider.System).AddBackOffice(configuration).BuildServiceProvider();
    }
}
