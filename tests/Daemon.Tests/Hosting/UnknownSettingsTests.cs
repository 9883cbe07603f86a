using Microsoft.Extensions.Logging.Testing;
using Provisioning.Daemon.Hosting;
using Provisioning.Daemon.Tests.Infrastructure;

namespace Provisioning.Daemon.Tests.Hosting;

/// <summary>A key the daemon does not know is named at start, with the setting that was probably meant.</summary>
public sealed class UnknownSettingsTests
{
    [Theory]
    [InlineData("Boot:MaxDelai", "Boot:MaxDelay")]
    [InlineData("BackOffice:Ur", "BackOffice:Url")]
    [InlineData("backoffice:retry:basedelai", "BackOffice:Retry:BaseDelay")]
    [InlineData("JsonRpc:Tokenz:0", "JsonRpc:Tokens:*")]
    [InlineData("Sate:Directory", "State:Directory")]
    public void Nearest_OfATypo_IsTheSettingMeant(string typo, string meant)
    {
        Assert.False(UnknownSettings.IsKnown(typo));
        Assert.Equal(meant, UnknownSettings.Nearest(typo));
    }

    [Fact]
    public void Nearest_OfSomethingElseEntirely_IsNone() => Assert.Null(UnknownSettings.Nearest("Kestrel:Endpoints:Http:Url"));

    [Theory]
    [InlineData("boot:maxdelay")]
    [InlineData("JsonRpc:Tokens:3")]
    [InlineData("Authorization:Keys:netflix:Uids:0")]
    [InlineData("Logging:LogLevel:Provisioning.Daemon.Engine")]
    [InlineData("Logging:Console:FormatterName")]
    public void IsKnown_SettingsListsAndTheLoggingSection(string key) => Assert.True(UnknownSettings.IsKnown(key));

    [Fact]
    public async Task Start_WithUnknownKeys_WarnsOnceForEachNamingTheNearestAndStillRuns()
    {
        await using TestDaemon daemon = await TestDaemon.StartAsync(o =>
        {
            o.Settings["Boot:MaxDelai"] = "00:00:05";
            o.Settings["BackOffice:Ur"] = "http://127.0.0.1:1";
            o.Settings["Frobnicate"] = "yes";
            o.ConfigureServices = services => services.AddFakeLogging();
        });

        string[] warnings =
        [
            .. daemon.Services.GetFakeLogCollector().GetSnapshot()
                .Where(r => r.Id.Id is 5000 or 5001)
                .Select(r => r.Message),
        ];
        Assert.Equal(3, warnings.Length);
        Assert.Contains(warnings, w => w.Contains("Boot:MaxDelai", StringComparison.Ordinal) && w.Contains("did you mean Boot:MaxDelay?", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("BackOffice:Ur ", StringComparison.Ordinal) && w.Contains("did you mean BackOffice:Url?", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.Contains("Frobnicate", StringComparison.Ordinal) && !w.Contains("did you mean", StringComparison.Ordinal));
        Assert.Equal(200, (await daemon.WaitUntilProvisionedAsync()).Status);
    }
}
